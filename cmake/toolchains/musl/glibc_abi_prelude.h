/* SPDX-License-Identifier: MIT */
/* Force-included (-include) into every C++ translation unit of the musl build: the few names
 * Debian's libstdc++ headers (configured for glibc) expect from the C library, given musl's
 * equivalents. The values are glibc's ABI, which musl's __ctype_b_loc table also follows. */
#ifndef JMPCO_MUSL_GLIBC_ABI_PRELUDE_H
#define JMPCO_MUSL_GLIBC_ABI_PRELUDE_H

#define __GLIBC_PREREQ(major, minor) 0

#include <locale.h>
typedef locale_t __locale_t;

/* glibc's character class bits in its ctype table (little-endian layout). */
#define JMPCO_GLIBC_CTYPE_BIT(bit) ((bit) < 8 ? ((1 << (bit)) << 8) : ((1 << (bit)) >> 8))
enum {
  _ISupper = JMPCO_GLIBC_CTYPE_BIT(0),
  _ISlower = JMPCO_GLIBC_CTYPE_BIT(1),
  _ISalpha = JMPCO_GLIBC_CTYPE_BIT(2),
  _ISdigit = JMPCO_GLIBC_CTYPE_BIT(3),
  _ISxdigit = JMPCO_GLIBC_CTYPE_BIT(4),
  _ISspace = JMPCO_GLIBC_CTYPE_BIT(5),
  _ISprint = JMPCO_GLIBC_CTYPE_BIT(6),
  _ISgraph = JMPCO_GLIBC_CTYPE_BIT(7),
  _ISblank = JMPCO_GLIBC_CTYPE_BIT(8),
  _IScntrl = JMPCO_GLIBC_CTYPE_BIT(9),
  _ISpunct = JMPCO_GLIBC_CTYPE_BIT(10),
  _ISalnum = JMPCO_GLIBC_CTYPE_BIT(11)
};

/* glibc 2.30's waits against a chosen clock, which libstdc++'s headers call: musl's timed waits
 * measure CLOCK_REALTIME, so a deadline on another clock is carried over to it. */
#include <pthread.h>
#include <time.h>

static inline struct timespec jmpco_realtime_deadline(clockid_t clock, const struct timespec* at) {
  struct timespec now_on_clock, now_real, deadline;
  clock_gettime(clock, &now_on_clock);
  clock_gettime(CLOCK_REALTIME, &now_real);
  deadline.tv_sec = now_real.tv_sec + (at->tv_sec - now_on_clock.tv_sec);
  deadline.tv_nsec = now_real.tv_nsec + (at->tv_nsec - now_on_clock.tv_nsec);
  while (deadline.tv_nsec < 0) {
    deadline.tv_nsec += 1000000000L;
    --deadline.tv_sec;
  }
  while (deadline.tv_nsec >= 1000000000L) {
    deadline.tv_nsec -= 1000000000L;
    ++deadline.tv_sec;
  }
  return deadline;
}
static inline int pthread_cond_clockwait(pthread_cond_t* cond, pthread_mutex_t* mutex,
                                         clockid_t clock, const struct timespec* at) {
  const struct timespec deadline = jmpco_realtime_deadline(clock, at);
  return pthread_cond_timedwait(cond, mutex, &deadline);
}
static inline int pthread_mutex_clocklock(pthread_mutex_t* mutex, clockid_t clock,
                                          const struct timespec* at) {
  const struct timespec deadline = jmpco_realtime_deadline(clock, at);
  return pthread_mutex_timedlock(mutex, &deadline);
}
static inline int pthread_rwlock_clockrdlock(pthread_rwlock_t* lock, clockid_t clock,
                                             const struct timespec* at) {
  const struct timespec deadline = jmpco_realtime_deadline(clock, at);
  return pthread_rwlock_timedrdlock(lock, &deadline);
}
static inline int pthread_rwlock_clockwrlock(pthread_rwlock_t* lock, clockid_t clock,
                                             const struct timespec* at) {
  const struct timespec deadline = jmpco_realtime_deadline(clock, at);
  return pthread_rwlock_timedwrlock(lock, &deadline);
}

#endif
