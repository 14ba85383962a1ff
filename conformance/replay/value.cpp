// SPDX-License-Identifier: MIT
#include "value.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>

namespace replay {

namespace {
thread_local Heap* current_heap = nullptr;
}  // namespace

// ---------------------------------------------------------------------------------------------
// Objects and the heap

GcObject::GcObject(GcKind k) : kind(k) {
  if (Heap* h = Heap::current()) h->link(this);
}

GcObject::~GcObject() {
  if (Heap* h = Heap::current()) h->unlink(this);
}

void retain(GcObject* o) noexcept { ++o->refs; }

void release(GcObject* o) noexcept {
  if (--o->refs == 0) {
    if (Heap* h = Heap::current()) {
      h->zero_refs(o);
    } else {
      delete o;
    }
  }
}

Heap::Heap() = default;

Heap::~Heap() { break_cycles(); }

Heap* Heap::current() noexcept { return current_heap; }
void Heap::set_current(Heap* h) noexcept { current_heap = h; }

void Heap::link(GcObject* o) noexcept {
  o->next_live = first_;
  if (first_ != nullptr) first_->prev_live = o;
  first_ = o;
  ++live_;
}

void Heap::unlink(GcObject* o) noexcept {
  if (o->prev_live != nullptr) o->prev_live->next_live = o->next_live;
  if (o->next_live != nullptr) o->next_live->prev_live = o->prev_live;
  if (first_ == o) first_ = o->next_live;
  o->prev_live = o->next_live = nullptr;
  --live_;
}

void Heap::zero_refs(GcObject* o) noexcept {
  if (o->finalizer_order != 0 && !breaking_) {
    // Unreachable, but its finalizer has yet to run: kept until the next collection finds it.
    dropped_finalizable_.push_back(Value::object(o));
    return;
  }
  doomed_.push_back(o);
  if (!draining_) drain();
}

// Deleting an object releases what it holds, which may doom more objects: a work list instead
// of recursion keeps the C++ stack flat whatever the shape of the garbage.
void Heap::drain() noexcept {
  draining_ = true;
  while (!doomed_.empty()) {
    GcObject* o = doomed_.back();
    doomed_.pop_back();
    o->dispose();
  }
  draining_ = false;
}

void Heap::break_cycles() noexcept {
  // Keep everything alive while links are cut, then let the counts do the freeing.
  std::vector<GcObject*> all;
  all.reserve(live_);
  for (GcObject* o = first_; o != nullptr; o = o->next_live) all.push_back(o);
  for (GcObject* o : all) retain(o);
  breaking_ = true;
  // The run is over: no finalizer runs any more.
  for (GcObject* o : all) o->finalizer_order = 0;
  dropped_finalizable_.clear();
  to_finalize.clear();
  for (GcObject* o : all) o->drop_references();
  for (GcObject* o : all) release(o);
  breaking_ = false;
}

// ---------------------------------------------------------------------------------------------
// Values

Value Value::string(std::string_view s) { return object(new LString(s)); }

Value Value::object(GcObject* o) noexcept {
  Value v;
  switch (o->kind) {
    case GcKind::String:
      v.tag_ = Tag::Str;
      break;
    case GcKind::Table:
      v.tag_ = Tag::Table;
      break;
    case GcKind::Function:
      v.tag_ = Tag::Func;
      break;
    case GcKind::Thread:
      v.tag_ = Tag::Thread;
      break;
    case GcKind::Cell:
      v.tag_ = Tag::Cell;
      break;
    case GcKind::Userdata:
      v.tag_ = Tag::Userdata;
      break;
  }
  v.u_.gc = o;
  retain(o);
  return v;
}

bool raw_equal(const Value& a, const Value& b) noexcept {
  if (a.tag_ != b.tag_) {
    std::int64_t i = 0;
    if (a.tag_ == Tag::Int && b.tag_ == Tag::Float)
      return float_to_int_exact(b.u_.d, i) && i == a.u_.i;
    if (a.tag_ == Tag::Float && b.tag_ == Tag::Int)
      return float_to_int_exact(a.u_.d, i) && i == b.u_.i;
    return false;
  }
  switch (a.tag_) {
    case Tag::Nil:
      return true;
    case Tag::Bool:
      return a.u_.b == b.u_.b;
    case Tag::Int:
      return a.u_.i == b.u_.i;
    case Tag::Float:
      return a.u_.d == b.u_.d;
    case Tag::LightUserdata:
      return a.u_.p == b.u_.p;
    case Tag::Str:
      return a.u_.gc == b.u_.gc || (a.str_obj()->hash == b.str_obj()->hash && a.str() == b.str());
    default:
      return a.u_.gc == b.u_.gc;
  }
}

LString::LString(std::string_view s)
    : GcObject(GcKind::String), text(s), hash(std::hash<std::string_view>{}(s)) {}

std::size_t KeyHash::operator()(const Value& v) const noexcept {
  switch (v.tag()) {
    case Tag::Nil:
      return 0;
    case Tag::Bool:
      return v.as_bool() ? 1 : 2;
    case Tag::Int:
      return std::hash<std::int64_t>{}(v.as_int());
    case Tag::Float:
      return std::hash<double>{}(v.as_float());
    case Tag::LightUserdata:
      return std::hash<const void*>{}(v.as_pointer());
    case Tag::Str:
      return v.str_obj()->hash;
    default:
      return std::hash<const void*>{}(v.gc());
  }
}

const char* type_name(const Value& v) noexcept {
  switch (v.tag()) {
    case Tag::Nil:
      return "nil";
    case Tag::Bool:
      return "boolean";
    case Tag::Int:
    case Tag::Float:
      return "number";
    case Tag::Str:
      return "string";
    case Tag::Table:
      return "table";
    case Tag::Func:
      return "function";
    case Tag::Thread:
      return "thread";
    case Tag::Cell:
      return "cell";
    case Tag::LightUserdata:
    case Tag::Userdata:
      return "userdata";
  }
  return "?";
}

// ---------------------------------------------------------------------------------------------
// Tables

Value normalize_key(const Value& key) {
  std::int64_t i = 0;
  if (key.is_float() && float_to_int_exact(key.as_float(), i)) return Value::integer(i);
  return key;
}

void Table::drop_references() noexcept {
  array.clear();
  entries.clear();
  index.clear();
  live_entries = 0;
  meta = Value();
}

void Table::visit_references(RefVisitor& v) const {
  for (const Value& x : array) v.visit(x);
  for (const Entry& e : entries) {
    v.visit(e.key);
    v.visit(e.value);
  }
  for (const auto& kv : index) v.visit(kv.first);  // the index holds its own copy of each key
  v.visit(meta);
}

void Table::erase_entry(std::size_t i) {
  Entry& e = entries[i];
  if (e.key.is_nil()) return;
  index.erase(e.key);
  if (!e.value.is_nil()) --live_entries;
  e.key = Value();  // a hole that traversal skips and the next compaction drops
  e.value = Value();
}

Value Table::get_int(std::int64_t k) const {
  if (k >= 1 && static_cast<std::uint64_t>(k) <= array.size()) return array[k - 1];
  if (index.empty()) return Value();
  auto it = index.find(Value::integer(k));
  return it == index.end() ? Value() : entries[it->second].value;
}

Value Table::get_str(std::string_view k) const {
  if (index.empty()) return Value();
  auto it = index.find(Value::string(k));
  return it == index.end() ? Value() : entries[it->second].value;
}

Value Table::get(const Value& key) const {
  if (key.is_int()) return get_int(key.as_int());
  if (key.is_float()) {
    std::int64_t i = 0;
    if (float_to_int_exact(key.as_float(), i)) return get_int(i);
  }
  if (key.is_nil() || index.empty()) return Value();
  auto it = index.find(key);
  return it == index.end() ? Value() : entries[it->second].value;
}

void Table::set_int(std::int64_t k, Value v) {
  const std::size_t n = array.size();
  if (k >= 1 && static_cast<std::uint64_t>(k) <= n) {
    array[k - 1] = std::move(v);
    return;
  }
  if (static_cast<std::uint64_t>(k) == n + 1 && k >= 1 && !v.is_nil()) {
    array.push_back(std::move(v));
    if (!index.empty()) migrate_to_array();
    return;
  }
  set_in_hash(Value::integer(k), std::move(v));
}

void Table::set(const Value& key, Value v) {
  if (key.is_int()) return set_int(key.as_int(), std::move(v));
  set_in_hash(key, std::move(v));
}

void Table::set_in_hash(const Value& key, Value v) {
  auto it = index.find(key);
  if (it != index.end()) {
    Value& slot = entries[it->second].value;
    if (slot.is_nil() && !v.is_nil()) ++live_entries;
    if (!slot.is_nil() && v.is_nil()) --live_entries;
    slot = std::move(v);
    return;
  }
  if (v.is_nil()) return;
  if (entries.size() > 2 * live_entries + 16) compact();
  index.emplace(key, static_cast<std::uint32_t>(entries.size()));
  entries.push_back(Entry{key, std::move(v)});
  ++live_entries;
}

// Keys n+1, n+2, ... that were stored in the hash part move into the grown array.
void Table::migrate_to_array() {
  for (;;) {
    auto it = index.find(Value::integer(static_cast<std::int64_t>(array.size()) + 1));
    if (it == index.end()) return;
    Entry& e = entries[it->second];
    if (e.value.is_nil()) return;
    array.push_back(std::move(e.value));
    e.value = Value();
    --live_entries;
    index.erase(it);
  }
}

// Drops the entries of removed keys. Only done when a new key is added, which Lua forbids during
// a traversal anyway.
void Table::compact() {
  std::vector<Entry> kept;
  kept.reserve(live_entries);
  for (Entry& e : entries)
    if (!e.value.is_nil()) kept.push_back(std::move(e));
  entries = std::move(kept);
  index.clear();
  for (std::uint32_t i = 0; i < entries.size(); ++i) index.emplace(entries[i].key, i);
}

std::int64_t Table::border() const noexcept {
  std::size_t n = array.size();
  if (n > 0 && array[n - 1].is_nil()) {
    // Binary search for a border inside the array part, as Lua does.
    std::size_t i = 0, j = n;
    while (j - i > 1) {
      std::size_t m = (i + j) / 2;
      if (array[m - 1].is_nil())
        j = m;
      else
        i = m;
    }
    return static_cast<std::int64_t>(i);
  }
  return static_cast<std::int64_t>(n);
}

bool Table::next(const Value& key, Value& k_out, Value& v_out, bool& bad_key) const {
  bad_key = false;
  std::size_t ai = 0;  // next array index to look at (0-based)
  std::size_t hi = 0;  // next entry to look at
  bool in_array = true;
  if (key.is_nil()) {
    ai = 0;
  } else if (key.is_int() && key.as_int() >= 1 &&
             static_cast<std::uint64_t>(key.as_int()) <= array.size()) {
    ai = static_cast<std::size_t>(key.as_int());
  } else {
    auto it = index.find(normalize_key(key));
    if (it == index.end()) {
      bad_key = true;
      return false;
    }
    in_array = false;
    hi = it->second + 1;
  }
  if (in_array) {
    for (; ai < array.size(); ++ai) {
      if (!array[ai].is_nil()) {
        k_out = Value::integer(static_cast<std::int64_t>(ai) + 1);
        v_out = array[ai];
        return true;
      }
    }
  }
  for (; hi < entries.size(); ++hi) {
    if (!entries[hi].value.is_nil()) {
      k_out = entries[hi].key;
      v_out = entries[hi].value;
      return true;
    }
  }
  return false;
}

void Function::drop_references() noexcept {
  upvalues.clear();
  env = Value();
}

void Function::visit_references(RefVisitor& v) const {
  for (const Value& x : upvalues) v.visit(x);
}

// ---------------------------------------------------------------------------------------------
// Numbers

std::string float_to_string(double d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.14g", d);
  // Lua marks integral floats so that they read back as floats.
  if (buf[std::strspn(buf, "-0123456789")] == '\0') std::strcat(buf, ".0");
  return buf;
}

std::string number_to_string(const Value& v) {
  if (v.is_int()) return std::to_string(v.as_int());
  return float_to_string(v.as_float());
}

namespace {

bool is_lua_space(char c) {
  return c == ' ' || c == '\f' || c == '\n' || c == '\r' || c == '\t' || c == '\v';
}

int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Lua's l_str2int: decimal (no overflow) or hexadecimal (wraps around).
bool string_to_integer(const char* s, std::int64_t& out) {
  std::uint64_t a = 0;
  bool empty = true;
  bool neg = false;
  while (is_lua_space(*s)) ++s;
  if (*s == '-') {
    ++s;
    neg = true;
  } else if (*s == '+') {
    ++s;
  }
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s += 2;
    for (int d; (d = hex_digit_value(*s)) >= 0; ++s) {
      a = a * 16 + static_cast<std::uint64_t>(d);
      empty = false;
    }
  } else {
    const std::uint64_t max_by_10 = static_cast<std::uint64_t>(INT64_MAX) / 10;
    const int max_last = static_cast<int>(static_cast<std::uint64_t>(INT64_MAX) % 10);
    for (; *s >= '0' && *s <= '9'; ++s) {
      int d = *s - '0';
      if (a >= max_by_10 && (a > max_by_10 || d > max_last + (neg ? 1 : 0))) return false;
      a = a * 10 + static_cast<std::uint64_t>(d);
      empty = false;
    }
  }
  while (is_lua_space(*s)) ++s;
  if (empty || *s != '\0') return false;
  out = static_cast<std::int64_t>(neg ? 0u - a : a);
  return true;
}

bool string_to_float(const char* s, double& out) {
  if (std::strpbrk(s, "nN") != nullptr) return false;  // rejects 'inf' and 'nan'
  char* end = nullptr;
  out = std::strtod(s, &end);
  if (end == s) return false;
  while (is_lua_space(*end)) ++end;
  return *end == '\0';
}

}  // namespace

bool string_to_number(std::string_view sv, Value& out) {
  std::string s(sv);
  if (s.find('\0') != std::string::npos) return false;
  std::int64_t i = 0;
  if (string_to_integer(s.c_str(), i)) {
    out = Value::integer(i);
    return true;
  }
  double d = 0;
  if (string_to_float(s.c_str(), d)) {
    out = Value::number(d);
    return true;
  }
  return false;
}

namespace {
// 2^63 as a double: the first float that no int64 can hold.
constexpr double kTwoTo63 = 9223372036854775808.0;
}  // namespace

bool float_to_int_exact(double d, std::int64_t& out) noexcept {
  if (!(d >= -kTwoTo63 && d < kTwoTo63)) return false;
  double f = std::floor(d);
  if (f != d) return false;
  out = static_cast<std::int64_t>(f);
  return true;
}

bool float_to_int_floor(double d, std::int64_t& out) noexcept {
  double f = std::floor(d);
  if (!(f >= -kTwoTo63 && f < kTwoTo63)) return false;
  out = static_cast<std::int64_t>(f);
  return true;
}

bool float_to_int_ceil(double d, std::int64_t& out) noexcept {
  double f = std::ceil(d);
  if (!(f >= -kTwoTo63 && f < kTwoTo63)) return false;
  out = static_cast<std::int64_t>(f);
  return true;
}

}  // namespace replay
