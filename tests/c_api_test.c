/* SPDX-License-Identifier: MIT */
/* The C API (include/jmpco/jmpco.h) from a C99 program: each test is a function, CHECK reports
 * the failing line and the program exits non-zero if any check failed. Built twice: against the
 * library with C++ exceptions (JMPCO_C_TEST_EXCEPTIONS=1: a closed body sees JMPCO_CLOSING) and
 * without (0: a closed body's stack is discarded). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmpco/jmpco.h"

static int failures = 0;
static int checks = 0;

#define CHECK(condition)                                                            \
  do {                                                                              \
    ++checks;                                                                       \
    if (!(condition)) {                                                             \
      ++failures;                                                                   \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #condition); \
    }                                                                               \
  } while (0)

#define CHECK_STRING(co, index, expected)                                                  \
  do {                                                                                     \
    size_t length_;                                                                        \
    const char *text_ = jmpco_tostring((co), (index), &length_);                           \
    CHECK(text_ != NULL && length_ == strlen(expected) && strcmp(text_, (expected)) == 0); \
  } while (0)

/* --- A counting allocator that can fail the k-th allocation --------------------------------- */

static long live_blocks = 0;
static long allocations = 0;
static long fail_at = 0; /* 0: never */

static void *counting_allocate(size_t size, void *user) {
  void *block;
  (void)user;
  ++allocations;
  if (fail_at != 0 && allocations == fail_at) return NULL;
  block = malloc(size);
  if (block != NULL) ++live_blocks;
  return block;
}

static void counting_deallocate(void *block, size_t size, void *user) {
  (void)size;
  (void)user;
  --live_blocks;
  free(block);
}

/* --- Bodies ----------------------------------------------------------------------------- */

/* Yields 1, 2, 3 and returns "done"; counts how many times it saw JMPCO_CLOSING. */
static int closings_seen = 0;
static int counter(jmpco_coroutine *co) {
  long long i;
  for (i = 1; i <= 3; ++i) {
    jmpco_push_integer(co, i);
    if (jmpco_yield(co, 1) == JMPCO_CLOSING) {
      ++closings_seen;
      return 0;
    }
  }
  jmpco_push_string(co, "done", 4);
  return 1;
}

static void test_generator(void) {
  jmpco_coroutine *co = NULL;
  int n = -1;
  long long expected = 1;
  CHECK(jmpco_create(&co, counter, NULL) == JMPCO_OK && co != NULL);
  CHECK(jmpco_status_of(co) == JMPCO_SUSPENDED);
  while (jmpco_resume(co, 0, &n) == JMPCO_OK && jmpco_status_of(co) == JMPCO_SUSPENDED) {
    int ok = 0;
    CHECK(n == 1);
    CHECK(jmpco_tointeger(co, -1, &ok) == expected && ok);
    ++expected;
  }
  CHECK(expected == 4);
  CHECK(jmpco_status_of(co) == JMPCO_DEAD);
  CHECK(n == 1);
  CHECK_STRING(co, 1, "done");
  CHECK(jmpco_resume(co, 0, &n) == JMPCO_DEAD_COROUTINE);
  CHECK(n == 1);
  CHECK_STRING(co, -1, "cannot resume dead coroutine");
  CHECK(jmpco_close(co) == JMPCO_OK);
  jmpco_destroy(co);
}

/* Echoes its arguments back, reversed, until it gets none. */
static int echo(jmpco_coroutine *co) {
  for (;;) {
    int count = jmpco_gettop(co), i;
    if (count == 0) return 0;
    for (i = count; i >= 1; --i) jmpco_push_value(co, i);
    if (jmpco_yield(co, count) != JMPCO_OK) return 0;
  }
}

static void test_values_both_ways(void) {
  jmpco_coroutine *co = NULL;
  int n = 0, ok = 0;
  size_t length = 0;
  const char *bytes;
  static const char with_zero[] = {'a', '\0', 'b'};
  CHECK(jmpco_create(&co, echo, NULL) == JMPCO_OK);
  jmpco_push_string(co, "left over", 9); /* below the arguments: dropped by the resume */
  jmpco_push_nil(co);
  jmpco_push_boolean(co, 7);
  jmpco_push_integer(co, -42);
  jmpco_push_number(co, 2.5);
  jmpco_push_string(co, with_zero, sizeof with_zero);
  jmpco_push_pointer(co, &n);
  CHECK(jmpco_resume(co, 6, &n) == JMPCO_OK && n == 6);
  CHECK(jmpco_gettop(co) == 6);
  CHECK(jmpco_topointer(co, 1) == &n);
  bytes = jmpco_tostring(co, 2, &length);
  CHECK(bytes != NULL && length == 3 && memcmp(bytes, with_zero, 3) == 0 && bytes[3] == '\0');
  CHECK(jmpco_tonumber(co, 3, &ok) == 2.5 && ok);
  CHECK(jmpco_tointeger(co, 3, &ok) == 0 && !ok); /* no conversions */
  CHECK(jmpco_tointeger(co, 4, &ok) == -42 && ok);
  CHECK(jmpco_tonumber(co, 4, &ok) == -42.0 && ok); /* an integer reads as a number */
  CHECK(jmpco_type_at(co, 5) == JMPCO_TBOOLEAN && jmpco_toboolean(co, 5) == 1);
  CHECK(jmpco_type_at(co, 6) == JMPCO_TNIL && jmpco_toboolean(co, 6) == 0);
  CHECK(jmpco_type_at(co, 7) == JMPCO_TNONE && jmpco_type_at(co, 0) == JMPCO_TNONE);
  CHECK(jmpco_type_at(co, -6) == JMPCO_TPOINTER && jmpco_type_at(co, -7) == JMPCO_TNONE);
  CHECK(jmpco_tostring(co, 1, &length) == NULL && length == 0);
  /* Keep two of the results and send one of them back: only the top one is an argument. */
  CHECK(jmpco_settop(co, 2) == JMPCO_OK && jmpco_gettop(co) == 2);
  CHECK(jmpco_resume(co, 1, &n) == JMPCO_OK && n == 1);
  CHECK(jmpco_type_at(co, 1) == JMPCO_TSTRING);
  CHECK(jmpco_resume(co, 0, &n) == JMPCO_OK && n == 0);
  CHECK(jmpco_status_of(co) == JMPCO_DEAD);
  jmpco_destroy(co);
}

static void test_stack_operations(void) {
  jmpco_coroutine *co = NULL;
  int i, ok;
  CHECK(jmpco_create(&co, echo, NULL) == JMPCO_OK);
  CHECK(jmpco_gettop(co) == 0);
  for (i = 0; i < 1000; ++i) CHECK(jmpco_push_integer(co, i) == JMPCO_OK);
  CHECK(jmpco_gettop(co) == 1000);
  CHECK(jmpco_tointeger(co, 1, &ok) == 0 && jmpco_tointeger(co, -1, &ok) == 999);
  CHECK(jmpco_pop(co, 998) == JMPCO_OK && jmpco_gettop(co) == 2);
  CHECK(jmpco_settop(co, 5) == JMPCO_OK && jmpco_type_at(co, 5) == JMPCO_TNIL);
  CHECK(jmpco_settop(co, -1) == JMPCO_OK && jmpco_gettop(co) == 5);
  CHECK(jmpco_settop(co, -7) == JMPCO_INVALID_ARGUMENT && jmpco_gettop(co) == 5);
  CHECK(jmpco_push_value(co, 6) == JMPCO_INVALID_ARGUMENT && jmpco_gettop(co) == 5);
  CHECK(jmpco_push_value(co, 2) == JMPCO_OK && jmpco_tointeger(co, -1, &ok) == 1);
  CHECK(jmpco_push_string(co, NULL, 3) == JMPCO_INVALID_ARGUMENT);
  CHECK(jmpco_push_string(co, NULL, 0) == JMPCO_OK);
  CHECK_STRING(co, -1, "");
  CHECK(jmpco_settop(co, 0) == JMPCO_OK && jmpco_gettop(co) == 0);
  CHECK(jmpco_user(co) == NULL);
  jmpco_destroy(co);
}

/* Raises from a nested C call: nothing after jmpco_raise runs. */
static int reached_after_raise = 0;
static void fail_deep(jmpco_coroutine *co, int depth) {
  if (depth > 0) {
    fail_deep(co, depth - 1);
    return;
  }
  jmpco_push_string(co, "deep failure", 12);
  jmpco_raise(co);
  reached_after_raise = 1;
}
static int raiser(jmpco_coroutine *co) {
  jmpco_push_integer(co, 1);
  if (jmpco_yield(co, 1) != JMPCO_OK) return 0;
  fail_deep(co, 50);
  reached_after_raise = 1;
  return 0;
}
static int raise_integer(jmpco_coroutine *co) {
  jmpco_push_integer(co, 404);
  return jmpco_raise(co);
}
static int raise_nothing(jmpco_coroutine *co) {
  jmpco_settop(co, 0);
  return jmpco_raise(co);
}

static void test_raise(void) {
  jmpco_coroutine *co = NULL;
  int n = 0, ok = 0;
  CHECK(jmpco_create(&co, raiser, NULL) == JMPCO_OK);
  CHECK(jmpco_resume(co, 0, &n) == JMPCO_OK && n == 1);
  CHECK(jmpco_resume(co, 0, &n) == JMPCO_RAISED && n == 1);
  CHECK(reached_after_raise == 0);
  CHECK(jmpco_status_of(co) == JMPCO_DEAD);
  CHECK_STRING(co, -1, "deep failure");
  jmpco_settop(co, 0);
  /* close hands the error out once, as coroutine.close does */
  CHECK(jmpco_close(co) == JMPCO_RAISED);
  CHECK(jmpco_gettop(co) == 1);
  CHECK_STRING(co, -1, "deep failure");
  CHECK(jmpco_close(co) == JMPCO_OK && jmpco_gettop(co) == 0);
  jmpco_destroy(co);

  CHECK(jmpco_create(&co, raise_integer, NULL) == JMPCO_OK);
  CHECK(jmpco_resume(co, 0, &n) == JMPCO_RAISED);
  CHECK(jmpco_tointeger(co, -1, &ok) == 404 && ok);
  jmpco_destroy(co); /* a dead coroutine with an error value: freed, nothing leaks */

  CHECK(jmpco_create(&co, raise_nothing, NULL) == JMPCO_OK);
  CHECK(jmpco_resume(co, 0, &n) == JMPCO_RAISED && n == 1);
  CHECK(jmpco_type_at(co, -1) == JMPCO_TNIL);
  jmpco_destroy(co);
}

static int returns_too_many(jmpco_coroutine *co) {
  jmpco_push_integer(co, 1);
  return 5;
}
static int yields_too_many(jmpco_coroutine *co) {
  CHECK(jmpco_yield(co, 3) == JMPCO_INVALID_ARGUMENT);
  CHECK(jmpco_yield(co, -1) == JMPCO_INVALID_ARGUMENT);
  return 0;
}

static void test_bad_counts(void) {
  jmpco_coroutine *co = NULL;
  int n = 0;
  size_t length = 0;
  CHECK(jmpco_create(&co, returns_too_many, NULL) == JMPCO_OK);
  CHECK(jmpco_resume(co, 1, &n) == JMPCO_INVALID_ARGUMENT); /* no argument there: refused */
  CHECK(jmpco_resume(co, -1, &n) == JMPCO_INVALID_ARGUMENT);
  CHECK(jmpco_status_of(co) == JMPCO_SUSPENDED);
  CHECK(jmpco_resume(co, 0, &n) == JMPCO_RAISED);
  CHECK(jmpco_tostring(co, -1, &length) != NULL && length > 0);
  jmpco_destroy(co);
  CHECK(jmpco_create(&co, yields_too_many, NULL) == JMPCO_OK);
  CHECK(jmpco_resume(co, 0, &n) == JMPCO_OK && jmpco_status_of(co) == JMPCO_DEAD);
  jmpco_destroy(co);
}

/* --- Statuses, running, isyieldable, nesting ------------------------------------------------- */

static jmpco_coroutine *outer_co = NULL;
static int nested_inner(jmpco_coroutine *co) {
  CHECK(jmpco_running() == co);
  CHECK(jmpco_status_of(outer_co) == JMPCO_NORMAL);
  CHECK(jmpco_close(outer_co) == JMPCO_CLOSE_NORMAL);
  CHECK(jmpco_resume(outer_co, 0, NULL) == JMPCO_NON_SUSPENDED);
  CHECK(jmpco_yield(outer_co, 0) == JMPCO_NOT_RUNNING);
  CHECK(jmpco_raise(outer_co) == JMPCO_NOT_RUNNING);
  return 0;
}
static int nested_outer(jmpco_coroutine *co) {
  jmpco_coroutine *inner = NULL;
  CHECK(jmpco_running() == co && jmpco_isyieldable() == 1);
  CHECK(jmpco_status_of(co) == JMPCO_RUNNING);
  CHECK(jmpco_close(co) == JMPCO_CLOSE_RUNNING);
  CHECK(*(int *)jmpco_user(co) == 17);
  CHECK(jmpco_create(&inner, nested_inner, NULL) == JMPCO_OK);
  CHECK(jmpco_resume(inner, 0, NULL) == JMPCO_OK);
  CHECK(jmpco_running() == co);
  jmpco_destroy(inner);
  return 0;
}

static void test_statuses(void) {
  int seventeen = 17;
  CHECK(jmpco_running() == NULL && jmpco_isyieldable() == 0);
  CHECK(jmpco_create(&outer_co, nested_outer, &seventeen) == JMPCO_OK);
  CHECK(jmpco_resume(outer_co, 0, NULL) == JMPCO_OK);
  CHECK(jmpco_status_of(outer_co) == JMPCO_DEAD);
  CHECK(jmpco_running() == NULL);
  jmpco_destroy(outer_co);
  CHECK(strcmp(jmpco_status_name(JMPCO_NORMAL), "normal") == 0);
  CHECK(strcmp(jmpco_status_name((jmpco_status)9), "invalid status") == 0);
}

/* Each level resumes a new coroutine one level deeper and reports how deep the chain went. */
static int chain(jmpco_coroutine *co) {
  jmpco_coroutine *next = NULL;
  int depth = 0, ok = 0;
  jmpco_errc e;
  if (jmpco_create(&next, chain, NULL) != JMPCO_OK) return 0;
  e = jmpco_resume(next, 0, NULL);
  if (e == JMPCO_OK) depth = (int)jmpco_tointeger(next, -1, &ok);
  if (e == JMPCO_C_STACK_OVERFLOW) CHECK_STRING(next, -1, "C stack overflow");
  jmpco_destroy(next);
  jmpco_push_integer(co, depth + 1);
  return 1;
}

static void test_nesting_limit(void) {
  jmpco_coroutine *co = NULL;
  int ok = 0;
  unsigned old_limit = jmpco_nesting_limit();
  CHECK(old_limit == 200);
  jmpco_set_nesting_limit(10);
  CHECK(jmpco_create(&co, chain, NULL) == JMPCO_OK);
  CHECK(jmpco_resume(co, 0, NULL) == JMPCO_OK);
  /* the main context is level 0 here: levels 1..10 run */
  CHECK(jmpco_tointeger(co, -1, &ok) == 10);
  jmpco_destroy(co);
  jmpco_set_nesting_limit(old_limit);
}

/* --- Closing and destroying -------------------------------------------------------------- */

static int yields_again_while_closing(jmpco_coroutine *co) {
  if (jmpco_yield(co, 0) == JMPCO_CLOSING) {
    ++closings_seen;
    CHECK(jmpco_isyieldable() == 0);
    CHECK(jmpco_yield(co, 0) == JMPCO_YIELD_WHILE_CLOSING);
  }
  return 0;
}
static int raises_while_closing(jmpco_coroutine *co) {
  if (jmpco_yield(co, 0) == JMPCO_CLOSING) {
    jmpco_push_string(co, "cleanup failed", 14);
    jmpco_raise(co);
  }
  return 0;
}

static void test_close(void) {
  jmpco_coroutine *co = NULL;
  int expected_closings = JMPCO_C_TEST_EXCEPTIONS ? 1 : 0;

  CHECK(jmpco_create(&co, counter, NULL) == JMPCO_OK);
  CHECK(jmpco_close(co) == JMPCO_OK && jmpco_status_of(co) == JMPCO_DEAD); /* never started */
  CHECK(closings_seen == 0);
  jmpco_destroy(co);

  closings_seen = 0;
  CHECK(jmpco_create(&co, counter, NULL) == JMPCO_OK);
  CHECK(jmpco_resume(co, 0, NULL) == JMPCO_OK);
  CHECK(jmpco_close(co) == JMPCO_OK && jmpco_status_of(co) == JMPCO_DEAD);
  CHECK(jmpco_gettop(co) == 0);
  CHECK(closings_seen == expected_closings);
  jmpco_destroy(co);

  closings_seen = 0;
  CHECK(jmpco_create(&co, yields_again_while_closing, NULL) == JMPCO_OK);
  CHECK(jmpco_resume(co, 0, NULL) == JMPCO_OK);
  CHECK(jmpco_close(co) == JMPCO_OK);
  CHECK(closings_seen == expected_closings);
  jmpco_destroy(co);

  CHECK(jmpco_create(&co, raises_while_closing, NULL) == JMPCO_OK);
  CHECK(jmpco_resume(co, 0, NULL) == JMPCO_OK);
  if (JMPCO_C_TEST_EXCEPTIONS) {
    CHECK(jmpco_close(co) == JMPCO_RAISED);
    CHECK_STRING(co, -1, "cleanup failed");
  } else {
    CHECK(jmpco_close(co) == JMPCO_OK);
  }
  CHECK(jmpco_status_of(co) == JMPCO_DEAD);
  jmpco_destroy(co);

  /* Destroying a suspended coroutine closes it first. */
  closings_seen = 0;
  CHECK(jmpco_create(&co, counter, NULL) == JMPCO_OK);
  CHECK(jmpco_resume(co, 0, NULL) == JMPCO_OK);
  jmpco_destroy(co);
  CHECK(closings_seen == expected_closings);
}

/* The body lets go of its own coroutine, then keeps running and yields: the object lives until
 * it hands control back. */
static int destroys_itself(jmpco_coroutine *co) {
  jmpco_destroy(co);
  CHECK(jmpco_running() == co);
  jmpco_push_integer(co, 5);
  return 1;
}

static void test_destroy_self(void) {
  jmpco_coroutine *co = NULL;
  int n = 0, ok = 0;
  CHECK(jmpco_create(&co, destroys_itself, NULL) == JMPCO_OK);
  CHECK(jmpco_resume(co, 0, &n) == JMPCO_OK); /* co is freed when this returns */
  CHECK(n == 1);
  (void)ok;
}

static void test_null_handles(void) {
  int n = 3;
  size_t length = 9;
  CHECK(jmpco_create(NULL, counter, NULL) == JMPCO_INVALID_ARGUMENT);
  {
    jmpco_coroutine *co = (jmpco_coroutine *)&n;
    CHECK(jmpco_create(&co, NULL, NULL) == JMPCO_INVALID_ARGUMENT && co == NULL);
  }
  CHECK(jmpco_resume(NULL, 0, &n) == JMPCO_EMPTY_HANDLE && n == 0);
  CHECK(jmpco_yield(NULL, 0) == JMPCO_EMPTY_HANDLE);
  CHECK(jmpco_raise(NULL) == JMPCO_EMPTY_HANDLE);
  CHECK(jmpco_close(NULL) == JMPCO_EMPTY_HANDLE);
  CHECK(jmpco_push_nil(NULL) == JMPCO_EMPTY_HANDLE);
  CHECK(jmpco_push_string(NULL, "x", 1) == JMPCO_EMPTY_HANDLE);
  CHECK(jmpco_push_value(NULL, 1) == JMPCO_EMPTY_HANDLE);
  CHECK(jmpco_settop(NULL, 0) == JMPCO_EMPTY_HANDLE);
  CHECK(jmpco_gettop(NULL) == 0 && jmpco_type_at(NULL, 1) == JMPCO_TNONE);
  CHECK(jmpco_tostring(NULL, 1, &length) == NULL && length == 0);
  CHECK(jmpco_status_of(NULL) == JMPCO_DEAD && jmpco_user(NULL) == NULL);
  jmpco_destroy(NULL);
  CHECK(strcmp(jmpco_message(JMPCO_DEAD_COROUTINE), "cannot resume dead coroutine") == 0);
  CHECK(strcmp(jmpco_message(JMPCO_YIELD_WHILE_CLOSING),
               "attempt to yield across a C-call boundary") == 0);
  CHECK(strcmp(jmpco_message(JMPCO_NOT_RUNNING), "not the running coroutine") == 0);
}

/* --- Every allocation failing in turn ------------------------------------------------------ */

/* One run of a program that uses every allocating call; returns 1 if some call reported
 * JMPCO_OUT_OF_MEMORY. Whatever fails, every block goes back. */
static int allocating_program(void) {
  jmpco_coroutine *co = NULL;
  int n = 0, i, saw_failure = 0;
  jmpco_errc e = jmpco_create(&co, echo, NULL);
  if (e != JMPCO_OK) {
    CHECK(e == JMPCO_OUT_OF_MEMORY && co == NULL);
    return 1;
  }
  for (i = 0; i < 6; ++i) {
    e = jmpco_push_string(co, "a string that is copied", 23);
    CHECK(e == JMPCO_OK || e == JMPCO_OUT_OF_MEMORY);
    saw_failure |= e == JMPCO_OUT_OF_MEMORY;
  }
  e = jmpco_resume(co, jmpco_gettop(co), &n);
  CHECK(e == JMPCO_OK || e == JMPCO_OUT_OF_MEMORY);
  if (e == JMPCO_OUT_OF_MEMORY) {
    saw_failure = 1;
    CHECK_STRING(co, -1, "not enough memory"); /* the message needs no memory */
  } else {
    CHECK(n == jmpco_gettop(co));
  }
  jmpco_destroy(co); /* suspended or not started: closed, everything freed */
  return saw_failure;
}

static void test_every_allocation_failing(void) {
  long k;
  jmpco_set_allocator(counting_allocate, counting_deallocate, NULL);
  for (k = 1; k < 1000; ++k) {
    int failed;
    allocations = 0;
    fail_at = k;
    failed = allocating_program();
    CHECK(live_blocks == 0);
    if (!failed && allocations < k) break; /* every allocation has been failed once */
  }
  CHECK(k > 2 && k < 1000);
  fail_at = 0;
  jmpco_set_allocator(NULL, NULL, NULL);
}

int main(void) {
  test_generator();
  test_values_both_ways();
  test_stack_operations();
  test_raise();
  test_bad_counts();
  test_statuses();
  test_nesting_limit();
  test_close();
  test_destroy_self();
  test_null_handles();
  test_every_allocation_failing();
  printf("%d checks, %d failed\n", checks, failures);
  return failures == 0 ? 0 : 1;
}
