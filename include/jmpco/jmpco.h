/* SPDX-License-Identifier: MIT */
/* jmpco's C API: Lua 5.4 coroutines for C99 programs (firmware, C libraries, other languages'
 * foreign-function interfaces), on the same core as the C++ API.
 *
 *   static int counter(jmpco_coroutine *co) {
 *     long long i;
 *     for (i = 1; i <= 3; ++i) {
 *       jmpco_push_integer(co, i);
 *       if (jmpco_yield(co, 1) != JMPCO_OK) return 0;   // JMPCO_CLOSING: closed while suspended
 *     }
 *     return 0;                                           // dead, no results
 *   }
 *
 *   jmpco_coroutine *co;
 *   int n;
 *   jmpco_create(&co, counter, NULL);
 *   while (jmpco_resume(co, 0, &n) == JMPCO_OK && jmpco_status(co) == JMPCO_SUSPENDED)
 *     printf("%lld\n", jmpco_tointeger(co, -1, NULL));   // 1 2 3
 *   jmpco_destroy(co);
 *
 * Values cross a switch on the coroutine's value stack, as in Lua's C API: a resume hands over the
 * top `nargs` values and returns with the stack holding exactly what the body yielded or returned
 * (or its error value); a yield hands over the top `nresults` values and returns with the stack
 * holding exactly the next resume's arguments. Indices are Lua's: 1 is the bottom, -1 the top.
 *
 * Every function that can fail returns a jmpco_errc and changes nothing when it fails (except where
 * its comment says otherwise). jmpco_message() gives Lua's text for each code. No function calls
 * abort() or exit() for a misuse, and none throws.
 *
 * A body runs on the thread's own stack (see README: a pointer to a local of a suspended body is
 * not valid while it is suspended), so pass data through the value stack or the user pointer. */
#ifndef JMPCO_JMPCO_H
#define JMPCO_JMPCO_H

#include <stddef.h>

#if defined(_WIN32) || defined(__CYGWIN__)
#if defined(JMPCO_SHARED) && defined(JMPCO_BUILDING_LIBRARY)
#define JMPCO_C_API __declspec(dllexport)
#elif defined(JMPCO_SHARED)
#define JMPCO_C_API __declspec(dllimport)
#else
#define JMPCO_C_API
#endif
#elif (defined(__GNUC__) || defined(__clang__)) && defined(JMPCO_SHARED)
#define JMPCO_C_API __attribute__((visibility("default")))
#else
#define JMPCO_C_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct jmpco_coroutine jmpco_coroutine;

/* A body: called with its coroutine on the first resume, with the resume's arguments on the
 * stack. It returns how many values from the top of the stack are its results (as a
 * lua_CFunction does); returning a negative count or more values than the stack holds kills the
 * coroutine with an error (its resumer gets JMPCO_RAISED and a message). */
typedef int (*jmpco_function)(jmpco_coroutine *co);

/* Lua's four coroutine states. */
typedef enum jmpco_status {
  JMPCO_SUSPENDED = 0, /* created and not yet started, or yielded */
  JMPCO_RUNNING = 1,   /* the coroutine executing now */
  JMPCO_NORMAL = 2,    /* it resumed another coroutine that has not yet yielded back */
  JMPCO_DEAD = 3,      /* returned, raised an error, or was closed */
  /* Not a status: makes the type as wide as an int, so that any int a C caller passes (an invalid
   * status gets "invalid status") is a value of it in C++ too. */
  JMPCO_STATUS_INT_WIDTH = 0x7fffffff
} jmpco_status;

/* The codes 0-16 are the C++ API's jmpco::errc, with the same numbers and texts. */
typedef enum jmpco_errc {
  JMPCO_OK = 0,
  JMPCO_DEAD_COROUTINE = 1,        /* cannot resume dead coroutine */
  JMPCO_NON_SUSPENDED = 2,         /* cannot resume non-suspended coroutine */
  JMPCO_YIELD_OUTSIDE = 3,         /* attempt to yield from outside a coroutine */
  JMPCO_C_STACK_OVERFLOW = 4,      /* C stack overflow (nesting limit or thread stack) */
  JMPCO_CLOSE_RUNNING = 5,         /* cannot close a running coroutine */
  JMPCO_CLOSE_NORMAL = 6,          /* cannot close a normal coroutine */
  JMPCO_WRONG_THREAD = 7,          /* the coroutine belongs to another thread */
  JMPCO_OUT_OF_MEMORY = 8,         /* not enough memory */
  JMPCO_TYPE_MISMATCH = 9,         /* not used by the C API */
  JMPCO_UNSUPPORTED_PLATFORM = 10, /* this target cannot run copied-stack coroutines */
  JMPCO_EMPTY_HANDLE = 11,         /* a null coroutine */
  JMPCO_YIELD_WHILE_CLOSING = 12,  /* attempt to yield across a C-call boundary */
  JMPCO_CLOSING = 13,              /* a yield returns it: the coroutine is being closed */
  JMPCO_FOREIGN_STACK = 14,        /* a switch from a stack that is not the thread's own */
  JMPCO_EXCEPTION = 15,            /* a C++ exception ended the body */
  JMPCO_RAISED = 16,               /* the body called jmpco_raise() */
  /* The C API's own. */
  JMPCO_INVALID_ARGUMENT = 64,      /* an index or count outside the value stack */
  JMPCO_NOT_RUNNING = 65,           /* jmpco_yield/jmpco_raise on a coroutine that is not running */
  JMPCO_ERRC_INT_WIDTH = 0x7fffffff /* not a code: as wide as an int, as jmpco_status */
} jmpco_errc;

/* Lua's text for the code where Lua has the error, else jmpco's; never NULL. */
JMPCO_C_API const char *jmpco_message(jmpco_errc code);

/* --- Lifetime ------------------------------------------------------------------------------ */

/* Creates a suspended coroutine that will run `body`; `user` is returned by jmpco_user(). On
 * failure *out is set to NULL (JMPCO_OUT_OF_MEMORY, JMPCO_INVALID_ARGUMENT for a null body). */
JMPCO_C_API jmpco_errc jmpco_create(jmpco_coroutine **out, jmpco_function body, void *user);

/* Lets go of the coroutine. A suspended one is closed first (see jmpco_close); one that is running
 * or normal (a body destroying its own coroutine) is freed as soon as it hands control back. The
 * pointer must not be used afterwards. NULL is ignored. */
JMPCO_C_API void jmpco_destroy(jmpco_coroutine *co);

/* Closes a suspended or dead coroutine, as coroutine.close: it becomes dead and its stack is
 * emptied. A body suspended in jmpco_yield gets JMPCO_CLOSING from it and should return at once
 * (it may free what it holds; a second yield fails with JMPCO_YIELD_WHILE_CLOSING). In a build
 * without C++ exceptions the suspended body is not re-entered: its stack is discarded. Returns
 * JMPCO_OK, or the error the coroutine died with (once; the error value is left on the stack), or
 * JMPCO_CLOSE_RUNNING / JMPCO_CLOSE_NORMAL / JMPCO_WRONG_THREAD and then changes nothing. */
JMPCO_C_API jmpco_errc jmpco_close(jmpco_coroutine *co);

JMPCO_C_API void *jmpco_user(const jmpco_coroutine *co);
JMPCO_C_API jmpco_status jmpco_status_of(const jmpco_coroutine *co);
/* "suspended", "running", "normal", "dead". */
JMPCO_C_API const char *jmpco_status_name(jmpco_status status);

/* --- Switching ----------------------------------------------------------------------------- */

/* Runs `co` with the top `nargs` values of its stack as arguments (the values below them are
 * dropped) until it yields, returns or fails. JMPCO_OK: it yielded (status suspended) or returned
 * (dead), the stack holds exactly those values and *nresults (if not NULL) their count. An error
 * of the body (JMPCO_RAISED, JMPCO_EXCEPTION): the coroutine is dead and the stack holds one value,
 * the error value. A refused resume (JMPCO_DEAD_COROUTINE, JMPCO_NON_SUSPENDED,
 * JMPCO_C_STACK_OVERFLOW, JMPCO_OUT_OF_MEMORY, ...): the coroutine is unchanged and the stack
 * holds one string, the message, as lua_resume leaves it. */
JMPCO_C_API jmpco_errc jmpco_resume(jmpco_coroutine *co, int nargs, int *nresults);

/* Called by the running body of `co`: hands the top `nresults` values to its resumer (the values
 * below them are dropped) and returns when it is resumed again, with the stack holding exactly the
 * new arguments: JMPCO_OK, or JMPCO_CLOSING (the coroutine is being closed: return now). Without
 * switching, and with the stack unchanged: JMPCO_NOT_RUNNING (co is not the running coroutine),
 * JMPCO_YIELD_WHILE_CLOSING, JMPCO_FOREIGN_STACK, JMPCO_OUT_OF_MEMORY, JMPCO_INVALID_ARGUMENT. */
JMPCO_C_API jmpco_errc jmpco_yield(jmpco_coroutine *co, int nresults);

/* Called by the running body of `co`: ends it at once with the top value of its stack as the error
 * value (nil if the stack is empty), as lua_error does: nothing after the call runs and its
 * resumer gets JMPCO_RAISED. Returns only when `co` is not the running coroutine
 * (JMPCO_NOT_RUNNING). */
JMPCO_C_API jmpco_errc jmpco_raise(jmpco_coroutine *co);

/* The running coroutine created by this API, or NULL on a thread's main context (or inside a
 * C++ coroutine). */
JMPCO_C_API jmpco_coroutine *jmpco_running(void);
/* 1 when the running code may yield (inside a coroutine that is not being closed), else 0. */
JMPCO_C_API int jmpco_isyieldable(void);

/* --- The value stack ----------------------------------------------------------------------- */

typedef enum jmpco_type {
  JMPCO_TNONE = -1, /* an index outside the stack */
  JMPCO_TNIL = 0,
  JMPCO_TBOOLEAN = 1,
  JMPCO_TINTEGER = 2,
  JMPCO_TNUMBER = 3,
  JMPCO_TSTRING = 4,
  JMPCO_TPOINTER = 5,
  JMPCO_TYPE_INT_WIDTH = 0x7fffffff /* not a type: as wide as an int, as jmpco_status */
} jmpco_type;

/* Each push returns JMPCO_OK, JMPCO_OUT_OF_MEMORY or JMPCO_EMPTY_HANDLE (NULL co); on failure
 * the stack is unchanged. A string is copied (it may hold zero bytes). */
JMPCO_C_API jmpco_errc jmpco_push_nil(jmpco_coroutine *co);
JMPCO_C_API jmpco_errc jmpco_push_boolean(jmpco_coroutine *co, int b);
JMPCO_C_API jmpco_errc jmpco_push_integer(jmpco_coroutine *co, long long i);
JMPCO_C_API jmpco_errc jmpco_push_number(jmpco_coroutine *co, double n);
JMPCO_C_API jmpco_errc jmpco_push_string(jmpco_coroutine *co, const char *s, size_t len);
JMPCO_C_API jmpco_errc jmpco_push_pointer(jmpco_coroutine *co, void *p);
/* Pushes a copy of the value at `index` (JMPCO_INVALID_ARGUMENT if there is none). */
JMPCO_C_API jmpco_errc jmpco_push_value(jmpco_coroutine *co, int index);

/* How many values the stack holds. */
JMPCO_C_API int jmpco_gettop(const jmpco_coroutine *co);
/* Sets the stack to `index` values: fills with nils or drops from the top (a negative index counts
 * from the top: -1 leaves it as it is, -2 pops one). */
JMPCO_C_API jmpco_errc jmpco_settop(jmpco_coroutine *co, int index);
#define jmpco_pop(co, n) jmpco_settop((co), -(n)-1)

JMPCO_C_API jmpco_type jmpco_type_at(const jmpco_coroutine *co, int index);
/* Readers take no conversions: each gives 0 / NULL (and *ok = 0 where asked) for a value of
 * another type, except that jmpco_tonumber reads an integer too. A string stays valid until the
 * value leaves the stack. */
JMPCO_C_API int jmpco_toboolean(const jmpco_coroutine *co, int index); /* Lua's truth */
JMPCO_C_API long long jmpco_tointeger(const jmpco_coroutine *co, int index, int *ok);
JMPCO_C_API double jmpco_tonumber(const jmpco_coroutine *co, int index, int *ok);
JMPCO_C_API const char *jmpco_tostring(const jmpco_coroutine *co, int index, size_t *len);
JMPCO_C_API void *jmpco_topointer(const jmpco_coroutine *co, int index);

/* --- Memory and limits --------------------------------------------------------------------- */

/* Where jmpco's memory comes from (coroutine objects, stack copies, value stacks): install before
 * the first coroutine is created; NULL functions restore malloc/free. `deallocate` gets the size
 * that was asked for. See jmpco::set_allocator. */
JMPCO_C_API void jmpco_set_allocator(void *(*allocate)(size_t size, void *user),
                                     void (*deallocate)(void *block, size_t size, void *user),
                                     void *user);

/* This thread's nesting limit (Lua's LUAI_MAXCCALLS, 200 by default): a resume nested deeper
 * fails with JMPCO_C_STACK_OVERFLOW. */
JMPCO_C_API unsigned jmpco_nesting_limit(void);
JMPCO_C_API void jmpco_set_nesting_limit(unsigned limit);

#ifdef __cplusplus
}
#endif

#endif /* JMPCO_JMPCO_H */
