// SPDX-License-Identifier: MIT
// The collector behind collectgarbage(): trial deletion over the reference counts. For every
// object (strings aside: they hold nothing), the references held by other objects are subtracted
// from its count; what is left is held from outside the heap (the interpreter's C++ frames, the
// saved stacks of suspended coroutines, the interpreter itself), so those objects are roots.
// Marking from the roots follows strong references only (weak table entries as Lua's __mode
// says, ephemerons for weak keys); whatever is not marked is garbage, is cut out of the weak
// tables and freed. A suspended coroutine's frames are invisible here, so what they hold stays
// alive; freeing an unreachable coroutine unwinds its frames, which may free more (collect()
// reports that, and the caller collects again).
#include <algorithm>
#include <cassert>

#include "value.hpp"

namespace replay {

namespace {

bool tracked(const Value& v) noexcept { return v.is_collectable() && v.gc()->gc_tracked; }

// Not garbage: a value that is no object, a string, or an object reached by marking.
bool reached(const Value& v) noexcept { return !tracked(v) || v.gc()->gc_marked; }

struct OutsideRefCounter final : RefVisitor {
  void visit(const Value& v) override {
    if (tracked(v)) --v.gc()->gc_outside_refs;
  }
};

enum Weakness : unsigned { kWeakKeys = 1, kWeakValues = 2 };

// The table's __mode, read at each collection as Lua's collector does.
unsigned weakness_of(const Table& t) {
  if (!t.meta.is_table()) return 0;
  const Value mode = t.meta.table()->get_str("__mode");
  if (!mode.is_string()) return 0;
  unsigned w = 0;
  if (mode.str().find('k') != std::string::npos) w |= kWeakKeys;
  if (mode.str().find('v') != std::string::npos) w |= kWeakValues;
  return w;
}

struct WeakTable {
  Table* table;
  unsigned weakness;
};

class Marker final : public RefVisitor {
 public:
  void visit(const Value& v) override {
    if (!tracked(v) || v.gc()->gc_marked) return;
    v.gc()->gc_marked = true;
    work_.push_back(v.gc());
  }

  void propagate() {
    while (!work_.empty()) {
      GcObject* o = work_.back();
      work_.pop_back();
      if (o->kind == GcKind::Table)
        mark_table(*static_cast<Table*>(o));
      else
        o->visit_references(*this);
    }
  }

  // A weak-key table's value is reachable once its key is: repeat until nothing changes.
  void propagate_all() {
    for (bool changed = true; changed;) {
      propagate();
      changed = false;
      for (Table* t : ephemerons_)
        for (const Table::Entry& e : t->entries)
          if (!e.value.is_nil() && reached(e.key) && !reached(e.value)) {
            visit(e.value);
            changed = true;
          }
    }
  }

  const std::vector<WeakTable>& weak_tables() const { return weak_; }
  const std::vector<Table*>& marked_tables() const { return tables_; }

 private:
  void mark_table(Table& t) {
    tables_.push_back(&t);
    visit(t.meta);
    const unsigned w = weakness_of(t);
    if (w != 0) weak_.push_back(WeakTable{&t, w});
    if (w == kWeakKeys) ephemerons_.push_back(&t);
    if ((w & kWeakValues) == 0)
      for (const Value& x : t.array) visit(x);
    for (const Table::Entry& e : t.entries) {
      if (e.value.is_nil()) continue;  // a dead key keeps nothing alive
      if ((w & kWeakKeys) == 0) visit(e.key);
      if (w == 0) visit(e.value);  // weak keys only: see propagate_all
    }
  }

  std::vector<GcObject*> work_;
  std::vector<WeakTable> weak_;
  std::vector<Table*> ephemerons_;
  std::vector<Table*> tables_;
};

// Removes the entries of a surviving table that refer to garbage: weak entries, and dead keys
// (keys whose value was set to nil) that nothing else holds.
void clear_values(const WeakTable& w) {
  if ((w.weakness & kWeakValues) == 0) return;
  Table& t = *w.table;
  for (Value& x : t.array)
    if (!reached(x)) x = Value();
  for (Table::Entry& e : t.entries) {
    if (e.value.is_nil() || reached(e.value)) continue;
    e.value = Value();  // the key stays, dead, so that a traversal can go on from it
    --t.live_entries;
  }
}

void clear_keys(Table& t) {
  for (std::size_t i = 0; i < t.entries.size(); ++i)
    if (!reached(t.entries[i].key)) t.erase_entry(i);
}

}  // namespace

bool Heap::collect() {
  std::vector<GcObject*> all;
  for (GcObject* o = first_; o != nullptr; o = o->next_live) {
    if (o->kind == GcKind::String || o->refs == 0) continue;  // strings hold nothing
    o->gc_tracked = true;
    o->gc_marked = false;
    o->gc_outside_refs = o->refs;
    all.push_back(o);
  }
  OutsideRefCounter counter;
  for (GcObject* o : all) o->visit_references(counter);
  // Clearing weak entries may drop counts to zero: nothing is freed until the sweep below.
  for (GcObject* o : all) retain(o);
  Marker marker;
  for (GcObject* o : all) {
    assert(o->gc_outside_refs >= 0);
    if (o->gc_outside_refs > 0) marker.visit(Value::object(o));
  }
  marker.propagate_all();
  // Weak values go before the objects with finalizers come back (Lua's order).
  for (const WeakTable& w : marker.weak_tables()) clear_values(w);
  std::vector<GcObject*> finalize;
  for (GcObject* o : all)
    if (!o->gc_marked && o->finalizer_order != 0) finalize.push_back(o);
  for (const Value& v : dropped_finalizable_) finalize.push_back(v.gc());
  for (GcObject* o : finalize) marker.visit(Value::object(o));
  marker.propagate_all();
  for (Table* t : marker.marked_tables()) clear_keys(*t);
  for (const WeakTable& w : marker.weak_tables()) clear_values(w);
  std::sort(finalize.begin(), finalize.end(), [](const GcObject* a, const GcObject* b) {
    return a->finalizer_order > b->finalizer_order;
  });
  for (GcObject* o : finalize) {
    o->finalizer_order = 0;  // runs once, unless setmetatable marks it again
    to_finalize.push_back(Value::object(o));
  }
  dropped_finalizable_.clear();
  bool unwinds = false;
  for (GcObject* o : all) o->gc_tracked = false;
  // As break_cycles: the garbage is cut loose while still retained, then the counts free it.
  for (GcObject* o : all) {
    if (o->gc_marked) continue;
    unwinds = unwinds || o->holds_stack();
    o->drop_references();
  }
  for (GcObject* o : all) release(o);
  return unwinds;
}

void Heap::finalize_all() {
  std::vector<GcObject*> marked;
  for (GcObject* o = first_; o != nullptr; o = o->next_live)
    if (o->finalizer_order != 0) marked.push_back(o);
  std::sort(marked.begin(), marked.end(), [](const GcObject* a, const GcObject* b) {
    return a->finalizer_order > b->finalizer_order;
  });
  for (GcObject* o : marked) {
    o->finalizer_order = 0;
    to_finalize.push_back(Value::object(o));
  }
  dropped_finalizable_.clear();
}

}  // namespace replay
