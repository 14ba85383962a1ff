// SPDX-License-Identifier: MIT
// The C API (include/jmpco/jmpco.h): a front end over coroutine_core whose values travel on a small
// Lua-like value stack kept in the coroutine object. Nothing here throws or aborts: every failure
// is a jmpco_errc, and every message is a static string or a copy made when there was memory.
#include "jmpco/jmpco.h"

#include <cstring>
#include <new>
#include <utility>

#include "assert.hpp"
#include "jmpco/allocator.hpp"
#include "jmpco/core.hpp"
#include "jmpco/error.hpp"

// The codes shared with the C++ API keep its numbers.
static_assert(JMPCO_OK == static_cast<int>(jmpco::errc::ok), "errc numbering");
static_assert(JMPCO_OUT_OF_MEMORY == static_cast<int>(jmpco::errc::out_of_memory),
              "errc numbering");
static_assert(JMPCO_YIELD_WHILE_CLOSING == static_cast<int>(jmpco::errc::yield_while_closing),
              "errc numbering");
static_assert(JMPCO_CLOSING == static_cast<int>(jmpco::errc::closing), "errc numbering");
static_assert(JMPCO_RAISED == static_cast<int>(jmpco::errc::raised), "errc numbering");
static_assert(JMPCO_DEAD == static_cast<int>(jmpco::status::dead), "status numbering");

namespace jmpco::c_api {
namespace {

// A string value's bytes: shared by the copies of the value (copying a value never allocates, so
// an error value can always be handed over), freed with the last one.
struct string_block {
  std::size_t refs;
  std::size_t length;
  char bytes[1];  // length + 1 bytes: the string and a terminating zero

  static std::size_t size_for(std::size_t length) noexcept {
    return offsetof(string_block, bytes) + length + 1;
  }
};

struct string_ref {
  const char* bytes;
  std::size_t length;
  string_block* block;  // nullptr: static storage (jmpco_message's texts)
};

struct value {
  jmpco_type type = JMPCO_TNIL;
  union {
    int boolean;
    long long integer;
    double number;
    void* pointer;
    string_ref string;
  };
  value() noexcept : integer(0) {}
};

// A string value holding a copy of `length` bytes (and a terminating zero); false without memory.
bool copy_string(const char* bytes, std::size_t length, value& out) noexcept {
  if (length > static_cast<std::size_t>(-1) - string_block::size_for(0)) return false;
  auto* block = static_cast<string_block*>(detail::allocate(string_block::size_for(length)));
  if (block == nullptr) return false;
  block->refs = 1;
  block->length = length;
  if (length != 0) std::memcpy(block->bytes, bytes, length);
  block->bytes[length] = '\0';
  out.type = JMPCO_TSTRING;
  out.string = {block->bytes, length, block};
  return true;
}

value static_string(const char* text) noexcept {
  value v;
  v.type = JMPCO_TSTRING;
  v.string = {text, std::strlen(text), nullptr};
  return v;
}

void retain(const value& v) noexcept {
  if (v.type == JMPCO_TSTRING && v.string.block != nullptr) ++v.string.block->refs;
}

void drop(value& v) noexcept {
  if (v.type == JMPCO_TSTRING && v.string.block != nullptr && --v.string.block->refs == 0)
    detail::deallocate(v.string.block, string_block::size_for(v.string.length));
  v = value();
}

// The value stack. The first `inline_capacity` slots live in the coroutine object, so a message
// or an error value can always be placed on an emptied stack without allocating.
class value_stack {
 public:
  static constexpr int inline_capacity = 4;

  value_stack() noexcept = default;
  value_stack(const value_stack&) = delete;
  value_stack& operator=(const value_stack&) = delete;
  ~value_stack() {
    clear();
    if (slots_ != inline_slots_) detail::deallocate(slots_, sizeof(value) * capacity_);
  }

  int size() const noexcept { return size_; }

  // The slot of a Lua-style index (1 = bottom, -1 = top), or nullptr outside the stack.
  const value* at(int index) const noexcept {
    const int position = index > 0 ? index - 1 : size_ + index;
    if (index == 0 || position < 0 || position >= size_) return nullptr;
    return &slots_[position];
  }

  // Takes over `v` (its reference included); false (and `v` dropped) without memory.
  bool push(value v) noexcept {
    if (size_ == capacity_ && !grow()) {
      drop(v);
      return false;
    }
    slots_[size_++] = v;
    return true;
  }

  // Drops everything but the top `count` values, which move to the bottom.
  void keep_top(int count) noexcept {
    JMPCO_ASSERT(count >= 0 && count <= size_);
    const int first = size_ - count;
    for (int i = 0; i < first; ++i) drop(slots_[i]);
    for (int i = 0; i < count; ++i) slots_[i] = std::exchange(slots_[first + i], value());
    size_ = count;
  }

  void resize(int count) noexcept {
    JMPCO_ASSERT(count >= 0);
    while (size_ > count) drop(slots_[--size_]);
    while (size_ < count) {
      const bool placed = push(value());
      JMPCO_ASSERT(placed);  // the caller reserved the room
      (void)placed;
    }
  }
  bool reserve(int count) noexcept {
    while (capacity_ < count)
      if (!grow()) return false;
    return true;
  }

  void clear() noexcept { resize(0); }

  // Empties the stack and places one value (taking over its reference); never allocates.
  void replace_with(value v) noexcept {
    clear();
    slots_[size_++] = v;
  }

  // Moves the top value out.
  value pop_top() noexcept {
    JMPCO_ASSERT(size_ > 0);
    return std::exchange(slots_[--size_], value());
  }

 private:
  bool grow() noexcept {
    constexpr int most = 1 << 24;  // a count int indices can address with room to spare
    if (capacity_ >= most) return false;
    const int larger = capacity_ * 2;
    auto* moved = static_cast<value*>(detail::allocate(sizeof(value) * larger));
    if (moved == nullptr) return false;
    for (int i = 0; i < size_; ++i) moved[i] = slots_[i];
    if (slots_ != inline_slots_) detail::deallocate(slots_, sizeof(value) * capacity_);
    slots_ = moved;
    capacity_ = larger;
    return true;
  }

  value inline_slots_[inline_capacity];
  value* slots_ = inline_slots_;
  int size_ = 0;
  int capacity_ = inline_capacity;
};

// Tells this API's coroutines from the C++ API's (coroutine_core::signature()).
const char c_api_signature = 0;

}  // namespace
}  // namespace jmpco::c_api

using jmpco::errc;
using jmpco::error;
using jmpco::message;
using jmpco::c_api::copy_string;
using jmpco::c_api::drop;
using jmpco::c_api::retain;
using jmpco::c_api::static_string;
using jmpco::c_api::value;
using jmpco::c_api::value_stack;

// The C API's handle is the coroutine object itself.
struct jmpco_coroutine final : jmpco::coroutine_core {
 public:
  static jmpco_coroutine* create(jmpco_function body, void* user) noexcept {
    void* memory = jmpco::detail::allocate(sizeof(jmpco_coroutine));
    return memory != nullptr ? new (memory) jmpco_coroutine(body, user) : nullptr;
  }

  const void* signature() const noexcept override { return &jmpco::c_api::c_api_signature; }

  // The coroutine running now, if this API created it.
  static jmpco_coroutine* current() noexcept {
    coroutine_core* running = coroutine_core::running();
    if (running == nullptr || running->signature() != &jmpco::c_api::c_api_signature)
      return nullptr;
    return static_cast<jmpco_coroutine*>(running);
  }

  void* user() const noexcept { return user_; }
  value_stack& stack() noexcept { return stack_; }
  const value_stack& stack() const noexcept { return stack_; }

  jmpco_errc resume(int nargs, int* nresults) noexcept {
    if (nargs < 0 || nargs > stack_.size()) return JMPCO_INVALID_ARGUMENT;
    stack_.keep_top(nargs);
    pin();  // the body may destroy its own coroutine: it is freed by unpin(), after the reads
    const errc outcome = resume_core();
    collect(outcome);
    if (nresults != nullptr) *nresults = stack_.size();
    unpin();
    return static_cast<jmpco_errc>(outcome);
  }

  jmpco_errc yield(int nresults) noexcept {
    if (current() != this) return JMPCO_NOT_RUNNING;
    if (nresults < 0 || nresults > stack_.size()) return JMPCO_INVALID_ARGUMENT;
    handed_over_ = nresults;  // the resumer keeps these once the switch has happened
    const errc outcome = yield_core();
    if (outcome == errc::closing) stack_.clear();
    return static_cast<jmpco_errc>(outcome);
  }

  [[noreturn]] void raise() noexcept {
    JMPCO_ASSERT(current() == this);
    drop(death_value_);
    death_value_ = stack_.size() > 0 ? stack_.pop_top() : value();
    stack_.clear();
    die_with(error(JMPCO_RAISED, "error raised by a C body"));
  }

  jmpco_errc close() noexcept {
    const error outcome = close_core();
    if (outcome.is_misuse()) return static_cast<jmpco_errc>(outcome.code());
    stack_.clear();
    if (outcome) place_death(outcome);
    drop(death_value_);  // handed out once, as Lua's close does
    return static_cast<jmpco_errc>(outcome.code());
  }

  using coroutine_core::release;

 private:
  jmpco_coroutine(jmpco_function body, void* user) noexcept : body_(body), user_(user) {}
  ~jmpco_coroutine() override { drop(death_value_); }

  void run() override {
    const int count = body_(this);
    if (count < 0 || count > stack_.size()) {
      death_value_ = static_string("jmpco: a C body returned more results than its stack holds");
      stack_.clear();
      die_with(error(JMPCO_INVALID_ARGUMENT, jmpco_message(JMPCO_INVALID_ARGUMENT)));
    }
    stack_.keep_top(count);
  }

  void destroy() noexcept override {
    this->~jmpco_coroutine();
    jmpco::detail::deallocate(this, sizeof(jmpco_coroutine));
  }

  // After a resume: leaves on the stack what the resumer is to see.
  void collect(errc outcome) noexcept {
    switch (outcome) {
      case errc::ok:
        if (status() == jmpco::status::suspended) stack_.keep_top(handed_over_);
        return;  // a finished body's results are already alone on the stack (run())
      case errc::raised:
      case errc::exception:
        return place_death(death());
      default:
        return stack_.replace_with(static_string(message(outcome)));
    }
  }

  // The error value of a death: what jmpco_raise() took, or a C++ exception's text.
  void place_death(const error& e) noexcept {
    if (e.code() == errc::raised) {
      retain(death_value_);
      return stack_.replace_with(death_value_);
    }
    stack_.replace_with(copy_or_static(e.what(), message(e.code())));
  }

  static value copy_or_static(const char* text, const char* fallback) noexcept {
    value v;
    return copy_string(text, std::strlen(text), v) ? v : static_string(fallback);
  }

  jmpco_function body_;
  void* user_;
  value_stack stack_;
  value death_value_;    // the value jmpco_raise() ended the body with
  int handed_over_ = 0;  // how many values the last yield hands to the resumer
};

namespace {

jmpco_errc push(jmpco_coroutine* co, value v) noexcept {
  if (co == nullptr) return JMPCO_EMPTY_HANDLE;
  return co->stack().push(v) ? JMPCO_OK : JMPCO_OUT_OF_MEMORY;
}

const value* value_at(const jmpco_coroutine* co, int index) noexcept {
  return co != nullptr ? co->stack().at(index) : nullptr;
}

}  // namespace

extern "C" {

const char* jmpco_message(jmpco_errc code) {
  switch (code) {
    case JMPCO_INVALID_ARGUMENT:
      return "invalid argument (an index or count outside the value stack)";
    case JMPCO_NOT_RUNNING:
      return "not the running coroutine";
    default:
      return jmpco::message(static_cast<jmpco::errc>(code));
  }
}

jmpco_errc jmpco_create(jmpco_coroutine** out, jmpco_function body, void* user) {
  if (out == nullptr) return JMPCO_INVALID_ARGUMENT;
  *out = nullptr;
  if (body == nullptr) return JMPCO_INVALID_ARGUMENT;
  *out = jmpco_coroutine::create(body, user);
  return *out != nullptr ? JMPCO_OK : JMPCO_OUT_OF_MEMORY;
}

void jmpco_destroy(jmpco_coroutine* co) {
  if (co != nullptr) co->release();
}

jmpco_errc jmpco_close(jmpco_coroutine* co) {
  return co != nullptr ? co->close() : JMPCO_EMPTY_HANDLE;
}

void* jmpco_user(const jmpco_coroutine* co) { return co != nullptr ? co->user() : nullptr; }

jmpco_status jmpco_status_of(const jmpco_coroutine* co) {
  return co != nullptr ? static_cast<jmpco_status>(co->status()) : JMPCO_DEAD;
}

const char* jmpco_status_name(jmpco_status status) {
  if (status < JMPCO_SUSPENDED || status > JMPCO_DEAD) return "invalid status";
  return jmpco::to_string(static_cast<jmpco::status>(status));
}

jmpco_errc jmpco_resume(jmpco_coroutine* co, int nargs, int* nresults) {
  if (nresults != nullptr) *nresults = 0;
  return co != nullptr ? co->resume(nargs, nresults) : JMPCO_EMPTY_HANDLE;
}

jmpco_errc jmpco_yield(jmpco_coroutine* co, int nresults) {
  return co != nullptr ? co->yield(nresults) : JMPCO_EMPTY_HANDLE;
}

jmpco_errc jmpco_raise(jmpco_coroutine* co) {
  if (co == nullptr) return JMPCO_EMPTY_HANDLE;
  if (jmpco_coroutine::current() != co) return JMPCO_NOT_RUNNING;
  co->raise();
}

jmpco_coroutine* jmpco_running(void) { return jmpco_coroutine::current(); }

int jmpco_isyieldable(void) { return jmpco::coroutine_core::is_yieldable() ? 1 : 0; }

jmpco_errc jmpco_push_nil(jmpco_coroutine* co) { return push(co, value()); }

jmpco_errc jmpco_push_boolean(jmpco_coroutine* co, int b) {
  value v;
  v.type = JMPCO_TBOOLEAN;
  v.boolean = b != 0;
  return push(co, v);
}

jmpco_errc jmpco_push_integer(jmpco_coroutine* co, long long i) {
  value v;
  v.type = JMPCO_TINTEGER;
  v.integer = i;
  return push(co, v);
}

jmpco_errc jmpco_push_number(jmpco_coroutine* co, double n) {
  value v;
  v.type = JMPCO_TNUMBER;
  v.number = n;
  return push(co, v);
}

jmpco_errc jmpco_push_string(jmpco_coroutine* co, const char* s, size_t len) {
  if (co == nullptr) return JMPCO_EMPTY_HANDLE;
  if (s == nullptr && len != 0) return JMPCO_INVALID_ARGUMENT;
  value v;
  if (!copy_string(s, len, v)) return JMPCO_OUT_OF_MEMORY;
  return push(co, v);  // frees the copy if there is no room
}

jmpco_errc jmpco_push_pointer(jmpco_coroutine* co, void* p) {
  value v;
  v.type = JMPCO_TPOINTER;
  v.pointer = p;
  return push(co, v);
}

jmpco_errc jmpco_push_value(jmpco_coroutine* co, int index) {
  if (co == nullptr) return JMPCO_EMPTY_HANDLE;
  if (value_at(co, index) == nullptr) return JMPCO_INVALID_ARGUMENT;
  value_stack& stack = co->stack();
  // Growing may move the slots: make room before copying out of them.
  if (!stack.reserve(stack.size() + 1)) return JMPCO_OUT_OF_MEMORY;
  value copy = *value_at(co, index);
  retain(copy);
  return push(co, copy);
}

int jmpco_gettop(const jmpco_coroutine* co) { return co != nullptr ? co->stack().size() : 0; }

jmpco_errc jmpco_settop(jmpco_coroutine* co, int index) {
  if (co == nullptr) return JMPCO_EMPTY_HANDLE;
  value_stack& stack = co->stack();
  const long long count = index >= 0 ? index : static_cast<long long>(stack.size()) + index + 1;
  if (count < 0 || count > (1 << 24)) return JMPCO_INVALID_ARGUMENT;
  if (!stack.reserve(static_cast<int>(count))) return JMPCO_OUT_OF_MEMORY;
  stack.resize(static_cast<int>(count));
  return JMPCO_OK;
}

jmpco_type jmpco_type_at(const jmpco_coroutine* co, int index) {
  const value* v = value_at(co, index);
  return v != nullptr ? v->type : JMPCO_TNONE;
}

int jmpco_toboolean(const jmpco_coroutine* co, int index) {
  const value* v = value_at(co, index);
  if (v == nullptr || v->type == JMPCO_TNIL) return 0;
  return v->type == JMPCO_TBOOLEAN ? v->boolean : 1;
}

long long jmpco_tointeger(const jmpco_coroutine* co, int index, int* ok) {
  const value* v = value_at(co, index);
  const bool is_integer = v != nullptr && v->type == JMPCO_TINTEGER;
  if (ok != nullptr) *ok = is_integer;
  return is_integer ? v->integer : 0;
}

double jmpco_tonumber(const jmpco_coroutine* co, int index, int* ok) {
  const value* v = value_at(co, index);
  const bool is_number = v != nullptr && (v->type == JMPCO_TNUMBER || v->type == JMPCO_TINTEGER);
  if (ok != nullptr) *ok = is_number;
  if (!is_number) return 0;
  return v->type == JMPCO_TNUMBER ? v->number : static_cast<double>(v->integer);
}

const char* jmpco_tostring(const jmpco_coroutine* co, int index, size_t* len) {
  const value* v = value_at(co, index);
  const bool is_string = v != nullptr && v->type == JMPCO_TSTRING;
  if (len != nullptr) *len = is_string ? v->string.length : 0;
  return is_string ? v->string.bytes : nullptr;
}

void* jmpco_topointer(const jmpco_coroutine* co, int index) {
  const value* v = value_at(co, index);
  return v != nullptr && v->type == JMPCO_TPOINTER ? v->pointer : nullptr;
}

void jmpco_set_allocator(void* (*allocate)(size_t, void*), void (*deallocate)(void*, size_t, void*),
                         void* user) {
  jmpco::set_allocator(jmpco::allocator{allocate, deallocate, user});
}

unsigned jmpco_nesting_limit(void) { return jmpco::coroutine_core::nesting_limit(); }

void jmpco_set_nesting_limit(unsigned limit) { jmpco::coroutine_core::set_nesting_limit(limit); }

}  // extern "C"
