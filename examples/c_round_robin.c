/* SPDX-License-Identifier: MIT */
/* A C99 program on jmpco's C API (include/jmpco/jmpco.h): a round-robin loop over three tasks,
 * each a coroutine that reports its progress through the value stack. One task fails part-way;
 * the loop reports its error and keeps running the others. Prints (the test checks all of it):
 *   round 1: [blink: step 1] [count: 10] [sensor: 21.50]
 *   round 2: [blink: step 2] [count: 11] [sensor: 21.75]
 *   round 3: [blink: step 3] [count: 12] [task 2 failed: sensor: impossible reading]
 *   round 4: [task 0 done] [count: 13]
 *   task 0: dead
 *   task 1: suspended
 *   task 2: dead */
#include <stdio.h>

#include "jmpco/jmpco.h"

/* Each task yields one string per step and returns when done. */
static int blink(jmpco_coroutine *co) {
  int step;
  for (step = 1; step <= 3; ++step) {
    char line[32];
    int length = snprintf(line, sizeof line, "blink: step %d", step);
    jmpco_push_string(co, line, (size_t)length);
    if (jmpco_yield(co, 1) != JMPCO_OK) return 0; /* closed: stop at once */
  }
  return 0;
}

static int count(jmpco_coroutine *co) {
  long long *counter = (long long *)jmpco_user(co);
  for (;;) {
    char line[32];
    int length = snprintf(line, sizeof line, "count: %lld", (*counter)++);
    jmpco_push_string(co, line, (size_t)length);
    if (jmpco_yield(co, 1) != JMPCO_OK) return 0;
  }
}

static int sensor(jmpco_coroutine *co) {
  static const double readings[] = {21.5, 21.75, -273.5};
  int i;
  for (i = 0; i < 3; ++i) {
    char line[32];
    int length;
    if (readings[i] < -273.15) {
      jmpco_push_string(co, "sensor: impossible reading", 26);
      jmpco_raise(co); /* ends the task here, like Lua's error() */
    }
    length = snprintf(line, sizeof line, "sensor: %.2f", readings[i]);
    jmpco_push_string(co, line, (size_t)length);
    if (jmpco_yield(co, 1) != JMPCO_OK) return 0;
  }
  return 0;
}

int main(void) {
  static const jmpco_function bodies[] = {blink, count, sensor};
  jmpco_coroutine *tasks[3];
  long long counter = 10;
  int live = 0, i, round;
  for (i = 0; i < 3; ++i) {
    if (jmpco_create(&tasks[i], bodies[i], &counter) != JMPCO_OK) {
      printf("out of memory\n");
      return 1;
    }
    ++live;
  }
  for (round = 1; round <= 4 && live > 0; ++round) {
    printf("round %d:", round);
    for (i = 0; i < 3; ++i) {
      jmpco_errc e;
      if (jmpco_status_of(tasks[i]) == JMPCO_DEAD) continue;
      e = jmpco_resume(tasks[i], 0, NULL);
      if (e == JMPCO_OK && jmpco_status_of(tasks[i]) == JMPCO_SUSPENDED)
        printf(" [%s]", jmpco_tostring(tasks[i], -1, NULL));
      else if (e == JMPCO_OK)
        printf(" [task %d done]", i), --live;
      else
        printf(" [task %d failed: %s]", i, jmpco_tostring(tasks[i], -1, NULL)), --live;
    }
    printf("\n");
  }
  /* The counting task never ends by itself: destroying it closes it. */
  for (i = 0; i < 3; ++i) {
    printf("task %d: %s\n", i, jmpco_status_name(jmpco_status_of(tasks[i])));
    jmpco_destroy(tasks[i]);
  }
  return 0;
}
