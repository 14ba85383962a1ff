// SPDX-License-Identifier: MIT
// Startup of a program on the MPS2 AN386 board (Cortex-M4) under qemu-system-arm: the vector
// table, the reset handler (.data copied from flash, .bss cleared, static constructors, main,
// exit), the heap for newlib's malloc, and a fault handler. Output and the exit status go through
// semihosting: newlib's librdimon (--specs=rdimon.specs) implements write() and _exit() with it,
// so the program's exit status becomes qemu's (ports/mps2-an386/run-on-qemu).
// Written in C++ alone: the Cortex-M core loads the stack pointer from the table itself.
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

// Defined by ports/mps2-an386/mps2-an386.ld.
extern "C" {
extern char jmpco_stack_top[];
extern char jmpco_heap_start[];
extern char jmpco_heap_end[];
extern char jmpco_data_load[];
extern char jmpco_data_start[];
extern char jmpco_data_end[];
extern char jmpco_bss_start[];
extern char jmpco_bss_end[];

// From newlib: constructors of static objects, and semihosting's standard streams.
void __libc_init_array();
void initialise_monitor_handles();

int main();
[[noreturn]] void jmpco_reset_handler();
}

namespace {

using handler = void (*)();

[[noreturn]] void report_fault_and_exit() {
  static const char text[] = "fault: the program stopped in an exception handler\n";
  (void)write(2, text, sizeof text - 1);
  _exit(134);  // what a shell shows for SIGABRT: a failing status
}

void fault_handler() { report_fault_and_exit(); }

// Reset, the fault handlers and SysTick; the board's interrupts are never enabled.
struct vector_table {
  char* initial_stack_pointer;
  handler reset;
  handler nmi;
  handler hard_fault;
  handler memory_management_fault;
  handler bus_fault;
  handler usage_fault;
  handler reserved[4];
  handler supervisor_call;
  handler debug_monitor;
  handler reserved2;
  handler pend_sv;
  handler sys_tick;
};

[[gnu::section(".vectors"), gnu::used]] const vector_table vectors = {
    jmpco_stack_top, &jmpco_reset_handler, &fault_handler, &fault_handler,
    &fault_handler,  &fault_handler,       &fault_handler, {nullptr, nullptr, nullptr, nullptr},
    &fault_handler,  &fault_handler,       nullptr,        &fault_handler,
    &fault_handler};

}  // namespace

extern "C" {

[[noreturn]] void jmpco_reset_handler() {
  std::memcpy(jmpco_data_start, jmpco_data_load,
              static_cast<std::size_t>(jmpco_data_end - jmpco_data_start));
  std::memset(jmpco_bss_start, 0, static_cast<std::size_t>(jmpco_bss_end - jmpco_bss_start));
  initialise_monitor_handles();
  __libc_init_array();
  std::exit(main());
}

// What the toolchain's startup files (crti.o, crtbegin.o) would supply; this program has none
// besides this one (-nostartfiles). newlib's __libc_init_array calls _init, and atexit
// registrations (libstdc++'s among them) name the module by __dso_handle.
void _init() {}
void _fini() {}
void* __dso_handle = nullptr;

// newlib's malloc grows its heap through this: within [jmpco_heap_start, jmpco_heap_end).
void* _sbrk(std::ptrdiff_t increment) {
  static char* heap_top = jmpco_heap_start;
  if (increment > jmpco_heap_end - heap_top || increment < jmpco_heap_start - heap_top) {
    errno = ENOMEM;
    return reinterpret_cast<void*>(-1);
  }
  char* previous = heap_top;
  heap_top += increment;
  return previous;
}

}  // extern "C"
