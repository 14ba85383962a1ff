/* SPDX-License-Identifier: MIT */
/* Linked into every program of the musl build: the glibc symbols that Debian's static libstdc++
 * and libgcc_eh (built against glibc 2.36) reference and musl 1.2.3 lacks. */
#define _GNU_SOURCE
#include <link.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/random.h>

/* libstdc++ skips atomic reference counts when this says the process has one thread: claiming
 * "never single-threaded" is always correct, only slower. */
char __libc_single_threaded = 0;

/* libstdc++'s headers decide whether the program has threads (__gthread_active_p) by a weak
 * reference: to __pthread_key_create under glibc, to pthread_cancel elsewhere, and musl is
 * "elsewhere". In a static link a weak reference is null unless something else pulls the
 * symbol in, and then every std::mutex lock compiled from those headers does nothing. This
 * strong reference links pthread_cancel, so the headers see the threads musl really has. */
void* const jmpco_musl_links_pthread_cancel = (void*)&pthread_cancel;

/* std::random_device's default source. */
uint32_t arc4random(void) {
  uint32_t value = 0;
  while (getrandom(&value, sizeof value, 0) != (ssize_t)sizeof value) {
  }
  return value;
}

/* glibc 2.35's fast lookup of the object that holds a code address; libgcc's unwinder uses it
 * to find the unwind tables (.eh_frame_hdr) an exception must pass through. Layout as glibc's
 * <dlfcn.h> declares it on targets without a data base (x86-64). */
struct dl_find_object {
  unsigned long long dlfo_flags;
  void* dlfo_map_start;
  void* dlfo_map_end;
  void* dlfo_link_map;
  void* dlfo_eh_frame;
  unsigned long long dlfo_reserved[7];
};

struct object_lookup {
  uintptr_t pc;
  struct dl_find_object* result;
  int found;
};

/* dl_iterate_phdr callback: stops at the object with a loadable segment holding the address. */
static int describe_object_holding_pc(struct dl_phdr_info* info, size_t size, void* data) {
  struct object_lookup* lookup = data;
  uintptr_t low = UINTPTR_MAX, high = 0, eh_frame_hdr = 0;
  int holds_pc = 0;
  (void)size;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)* segment = &info->dlpi_phdr[i];
    const uintptr_t start = info->dlpi_addr + segment->p_vaddr;
    if (segment->p_type == PT_LOAD) {
      if (lookup->pc >= start && lookup->pc - start < segment->p_memsz) holds_pc = 1;
      if (start < low) low = start;
      if (start + segment->p_memsz > high) high = start + segment->p_memsz;
    } else if (segment->p_type == PT_GNU_EH_FRAME) {
      eh_frame_hdr = start;
    }
  }
  if (!holds_pc) return 0;
  lookup->result->dlfo_flags = 0;
  lookup->result->dlfo_map_start = (void*)low;
  lookup->result->dlfo_map_end = (void*)high;
  lookup->result->dlfo_link_map = NULL;
  lookup->result->dlfo_eh_frame = (void*)eh_frame_hdr;
  lookup->found = eh_frame_hdr != 0;
  return 1;
}

int _dl_find_object(void* pc, struct dl_find_object* result) {
  struct object_lookup lookup = {(uintptr_t)pc, result, 0};
  dl_iterate_phdr(describe_object_holding_pc, &lookup);
  return lookup.found ? 0 : -1;
}

/* glibc's registry of thread_local destructors, behind libstdc++'s __cxa_thread_atexit: each
 * thread keeps a list, run in reverse order when the thread exits (a pthread key's destructor)
 * or, for the thread that calls exit(), from an atexit handler. */
struct thread_destructor {
  void (*run)(void*);
  void* object;
  struct thread_destructor* next;
};

static __thread struct thread_destructor* thread_destructors;
static pthread_key_t thread_exit_key;
static pthread_once_t thread_exit_key_once = PTHREAD_ONCE_INIT;

static void run_thread_destructors(void* unused) {
  (void)unused;
  while (thread_destructors != NULL) {
    struct thread_destructor* first = thread_destructors;
    thread_destructors = first->next;
    first->run(first->object);
    free(first);
  }
}

static void run_exiting_thread_destructors(void) { run_thread_destructors(NULL); }

static void create_thread_exit_key(void) {
  pthread_key_create(&thread_exit_key, run_thread_destructors);
  atexit(run_exiting_thread_destructors);
}

int __cxa_thread_atexit_impl(void (*run)(void*), void* object, void* dso) {
  (void)dso;
  struct thread_destructor* entry = malloc(sizeof *entry);
  if (entry == NULL) return -1;
  pthread_once(&thread_exit_key_once, create_thread_exit_key);
  entry->run = run;
  entry->object = object;
  entry->next = thread_destructors;
  thread_destructors = entry;
  pthread_setspecific(thread_exit_key, entry); /* non-null, so the key's destructor runs */
  return 0;
}
