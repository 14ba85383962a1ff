// SPDX-License-Identifier: MIT
// Lua values for the replay interpreter: a tagged union whose collectable part is reference
// counted. Objects are freed as soon as their last reference goes (iteratively, so long chains do
// not recurse); collectgarbage() frees cycles and clears weak tables (Heap::collect), and
// whatever cycles remain are broken when the run ends (Heap::break_cycles).
#ifndef JMPCO_REPLAY_VALUE_HPP
#define JMPCO_REPLAY_VALUE_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace replay {

enum class GcKind : std::uint8_t { String, Table, Function, Cell, Thread, Userdata };

class Value;

// Sees every reference an object holds, weak ones included (the collector counts them).
class RefVisitor {
 public:
  virtual void visit(const Value& v) = 0;

 protected:
  ~RefVisitor() = default;
};

// Everything a Value can own. Every live object is on its heap's list, so that the objects that
// only keep each other alive can be found and freed at the end of a run.
struct GcObject {
  explicit GcObject(GcKind k);
  GcObject(const GcObject&) = delete;
  GcObject& operator=(const GcObject&) = delete;
  virtual ~GcObject();
  // Drops every reference this object holds to others (cycle breaking at the end of a run).
  virtual void drop_references() noexcept {}
  // Called when the last reference goes: frees the object (threads may defer, see Heap).
  virtual void dispose() noexcept { delete this; }
  // Hands every Value this object holds to `v` (the C++ frames of a suspended coroutine are not
  // objects' references: the collector cannot see them, so what they hold counts as reachable).
  virtual void visit_references(RefVisitor& v) const { (void)v; }
  // A suspended coroutine's saved frames: freeing it unwinds them.
  virtual bool holds_stack() const noexcept { return false; }

  std::uint32_t refs = 0;
  GcKind kind;
  // Collector state, meaningful only during Heap::collect.
  bool gc_marked = false;
  bool gc_tracked = false;
  // Nonzero once setmetatable gave it a metatable with __gc: its finalizer runs once it is found
  // unreachable. Finalizers run in the reverse order of these numbers, as Lua's do.
  std::uint64_t finalizer_order = 0;
  std::int64_t gc_outside_refs = 0;
  GcObject* prev_live = nullptr;
  GcObject* next_live = nullptr;
};

void retain(GcObject* o) noexcept;
void release(GcObject* o) noexcept;

// Collectable tags come last (from Str on): see Value::is_collectable.
enum class Tag : std::uint8_t {
  Nil,
  Bool,
  Int,
  Float,
  LightUserdata,
  Str,
  Table,
  Func,
  Thread,
  Cell,
  Userdata
};

struct LString;
struct Table;
struct Userdata;
struct Function;
struct ThreadObj;
struct Cell;

class Value {
 public:
  Value() noexcept : tag_(Tag::Nil) { u_.i = 0; }
  static Value boolean(bool b) noexcept {
    Value v;
    v.tag_ = Tag::Bool;
    v.u_.b = b;
    return v;
  }
  static Value integer(std::int64_t i) noexcept {
    Value v;
    v.tag_ = Tag::Int;
    v.u_.i = i;
    return v;
  }
  static Value number(double d) noexcept {
    Value v;
    v.tag_ = Tag::Float;
    v.u_.d = d;
    return v;
  }
  // A light userdata: an address that identifies something (debug.upvalueid's cells), compared
  // by address, never dereferenced, and no reference to what it points at.
  static Value light_userdata(const void* p) noexcept {
    Value v;
    v.tag_ = Tag::LightUserdata;
    v.u_.p = p;
    return v;
  }
  static Value string(std::string_view s);
  static Value object(GcObject* o) noexcept;  // tag from the object's kind

  Value(const Value& o) noexcept : tag_(o.tag_), u_(o.u_) {
    if (is_collectable()) retain(u_.gc);
  }
  Value(Value&& o) noexcept : tag_(o.tag_), u_(o.u_) { o.tag_ = Tag::Nil; }
  Value& operator=(const Value& o) noexcept {
    Value copy(o);
    swap(copy);
    return *this;
  }
  Value& operator=(Value&& o) noexcept {
    Value moved(std::move(o));
    swap(moved);
    return *this;
  }
  ~Value() {
    if (is_collectable()) release(u_.gc);
  }
  void swap(Value& o) noexcept {
    std::swap(tag_, o.tag_);
    std::swap(u_, o.u_);
  }

  Tag tag() const noexcept { return tag_; }
  bool is_nil() const noexcept { return tag_ == Tag::Nil; }
  bool is_false() const noexcept { return tag_ == Tag::Nil || (tag_ == Tag::Bool && !u_.b); }
  bool truthy() const noexcept { return !is_false(); }
  bool is_int() const noexcept { return tag_ == Tag::Int; }
  bool is_float() const noexcept { return tag_ == Tag::Float; }
  bool is_number() const noexcept { return tag_ == Tag::Int || tag_ == Tag::Float; }
  bool is_string() const noexcept { return tag_ == Tag::Str; }
  bool is_boolean() const noexcept { return tag_ == Tag::Bool; }
  bool is_table() const noexcept { return tag_ == Tag::Table; }
  bool is_function() const noexcept { return tag_ == Tag::Func; }
  bool is_thread() const noexcept { return tag_ == Tag::Thread; }
  bool is_userdata() const noexcept { return tag_ == Tag::Userdata; }
  bool is_light_userdata() const noexcept { return tag_ == Tag::LightUserdata; }
  bool is_collectable() const noexcept { return tag_ >= Tag::Str; }

  bool as_bool() const noexcept { return u_.b; }
  std::int64_t as_int() const noexcept { return u_.i; }
  double as_float() const noexcept { return u_.d; }
  double as_number() const noexcept { return tag_ == Tag::Int ? static_cast<double>(u_.i) : u_.d; }
  GcObject* gc() const noexcept { return u_.gc; }
  const void* as_pointer() const noexcept { return u_.p; }  // a light userdata's address
  LString* str_obj() const noexcept;
  const std::string& str() const noexcept;
  Table* table() const noexcept;
  Function* func() const noexcept;
  ThreadObj* thread() const noexcept;
  Cell* cell() const noexcept;
  Userdata* userdata() const noexcept;

  // Identity and value equality as rawequal sees it (no metamethods).
  friend bool raw_equal(const Value& a, const Value& b) noexcept;

 private:
  Tag tag_;
  union {
    bool b;
    std::int64_t i;
    double d;
    const void* p;
    GcObject* gc;
  } u_;
};

using Values = std::vector<Value>;

struct LString final : GcObject {
  explicit LString(std::string_view s);
  std::string text;
  std::size_t hash;
};

// A captured local: closures share the cell, not the value.
struct Cell final : GcObject {
  Cell() : GcObject(GcKind::Cell) {}
  void drop_references() noexcept override { value = Value(); }
  void visit_references(RefVisitor& v) const override { v.visit(value); }
  Value value;
};

// A full userdata: the library's objects (io's files), each with its own metatable.
struct Userdata final : GcObject {
  Userdata() : GcObject(GcKind::Userdata) {}
  void drop_references() noexcept override { meta = Value(); }
  void visit_references(RefVisitor& v) const override { v.visit(meta); }
  Value meta;       // nil or a table
  int payload = 0;  // what the library keeps in it (io: which standard file)
};

struct KeyHash {
  std::size_t operator()(const Value& v) const noexcept;
};
struct KeyEq {
  bool operator()(const Value& a, const Value& b) const noexcept { return raw_equal(a, b); }
};

// A Lua table: keys 1..n live in `array`, the others in insertion order in `entries`. A key set
// to nil keeps its entry (with a nil value) so that `next` can go on from it during a traversal.
struct Table final : GcObject {
  Table() : GcObject(GcKind::Table) {}
  void drop_references() noexcept override;
  void visit_references(RefVisitor& v) const override;
  // Removes the entry of a hash key (the collector's weak and dead keys): `next` can no longer
  // go on from it, which is fine for keys nobody else can reach.
  void erase_entry(std::size_t i);

  // Raw access. `key` must already be normalized (see normalize_key) for set().
  Value get(const Value& key) const;
  Value get_int(std::int64_t k) const;
  Value get_str(std::string_view k) const;
  void set(const Value& key, Value v);
  void set_int(std::int64_t k, Value v);
  // The border `#` reports for this table (Lua's rule for sequences).
  std::int64_t border() const noexcept;
  // Traversal: the entry after `key` (nil starts). Returns false at the end; sets `bad_key`
  // when `key` is not in the table.
  bool next(const Value& key, Value& k_out, Value& v_out, bool& bad_key) const;

  std::vector<Value> array;
  struct Entry {
    Value key;
    Value value;
  };
  std::vector<Entry> entries;
  std::unordered_map<Value, std::uint32_t, KeyHash, KeyEq> index;
  std::size_t live_entries = 0;
  Value meta;  // nil or a table

 private:
  void set_in_hash(const Value& key, Value v);
  void migrate_to_array();
  void compact();
};

// Float keys with an integer value index the same slot as that integer.
Value normalize_key(const Value& key);

struct Proto;
class Interp;
struct CallArgs;

using NativeFn = void (*)(Interp& in, CallArgs& args);

struct Function final : GcObject {
  Function() : GcObject(GcKind::Function) {}
  void drop_references() noexcept override;
  void visit_references(RefVisitor& v) const override;

  const Proto* proto = nullptr;  // Lua closure
  std::vector<Value> upvalues;   // Lua closure: cells; native: whatever it captured
  Value env;  // Lua closure: the Cell of its chunk's _ENV upvalue (shared by the whole chunk)
  NativeFn native = nullptr;  // native function
  const char* qualified_name =
      nullptr;  // e.g. "table.insert": used where Lua has no call-site name
  // Loaded from a binary chunk dumped with `strip` (and closures made inside one): Lua knows no
  // source, lines, local or upvalue names for it.
  bool stripped = false;
  bool is_lua() const noexcept { return proto != nullptr; }
};

// Heap bookkeeping for one run. Objects free themselves when their count drops to zero; the
// queue makes that iterative, so freeing a long linked list does not recurse.
class Heap {
 public:
  Heap();
  ~Heap();
  Heap(const Heap&) = delete;
  Heap& operator=(const Heap&) = delete;

  void link(GcObject* o) noexcept;
  void unlink(GcObject* o) noexcept;
  void zero_refs(GcObject* o) noexcept;
  // Frees every object still alive (they can only be alive through cycles by now, or because
  // something still holds them; callers drop their own references first).
  void break_cycles() noexcept;
  // A full collection (gc.cpp): frees what nothing outside the heap can reach any more, clears
  // weak tables, and queues unreachable objects with finalizers in `to_finalize` (reachable again
  // until their finalizer has run). Returns whether it unwound a coroutine (whose frames may have
  // held the last references to more garbage).
  bool collect();
  std::size_t live_count() const noexcept { return live_; }
  // Objects whose __gc is due, in the order the finalizers run.
  std::vector<Value> to_finalize;
  // Marks `o` for finalization (setmetatable with a __gc field).
  void mark_for_finalization(GcObject* o) noexcept { o->finalizer_order = ++finalizer_count_; }
  // Every object still marked for finalization, due now (lua_close runs them all).
  void finalize_all();

  // Threads whose last reference went while they still had a stack: the interpreter releases
  // them at a safe point (releasing one switches into it to unwind its frames).
  std::vector<GcObject*> orphaned_threads;
  bool breaking() const noexcept { return breaking_; }

  static Heap* current() noexcept;
  static void set_current(Heap* h) noexcept;

 private:
  void drain() noexcept;
  GcObject* first_ = nullptr;
  std::size_t live_ = 0;
  std::vector<GcObject*> doomed_;
  bool draining_ = false;
  bool breaking_ = false;
  std::uint64_t finalizer_count_ = 0;
  // Objects with a pending finalizer whose count went to zero, held until a collection.
  std::vector<Value> dropped_finalizable_;
};

// Number formatting and parsing exactly as Lua 5.4 does them.
std::string number_to_string(const Value& v);  // v is a number
std::string float_to_string(double d);
// Lua's string->number conversion (whole string, surrounding spaces allowed).
bool string_to_number(std::string_view s, Value& out);
// Float -> integer when the float has an exact integer value in range.
bool float_to_int_exact(double d, std::int64_t& out) noexcept;
// Floor/ceil of a float into an integer if in range (Lua's F2Ifloor / F2Iceil).
bool float_to_int_floor(double d, std::int64_t& out) noexcept;
bool float_to_int_ceil(double d, std::int64_t& out) noexcept;

const char* type_name(const Value& v) noexcept;

inline LString* Value::str_obj() const noexcept { return static_cast<LString*>(u_.gc); }
inline const std::string& Value::str() const noexcept { return str_obj()->text; }
inline Table* Value::table() const noexcept { return static_cast<Table*>(u_.gc); }
inline Function* Value::func() const noexcept { return static_cast<Function*>(u_.gc); }
inline Cell* Value::cell() const noexcept { return static_cast<Cell*>(u_.gc); }
inline Userdata* Value::userdata() const noexcept { return static_cast<Userdata*>(u_.gc); }

}  // namespace replay

#endif  // JMPCO_REPLAY_VALUE_HPP
