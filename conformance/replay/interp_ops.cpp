// SPDX-License-Identifier: MIT
// Operators and metatables: indexing with __index/__newindex, arithmetic with Lua's integer and
// float rules, comparisons, concatenation, length, and tostring.
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "interp_internal.hpp"
#include "lua_limits.hpp"

namespace replay {

namespace {

bool is_string_or_number(const Value& v) { return v.is_string() || v.is_number(); }

std::string tostring_basic(const Value& v) {
  if (v.is_string()) return v.str();
  return number_to_string(v);
}

// Lua's luaV_shiftl.
std::int64_t shift_left(std::int64_t x, std::int64_t y) {
  if (y < 0) {
    if (y <= -64) return 0;
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(x) >> static_cast<unsigned>(-y));
  }
  if (y >= 64) return 0;
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(x) << static_cast<unsigned>(y));
}

bool int_fits_float(std::int64_t i) {
  return i >= -(std::int64_t{1} << 53) && i <= (std::int64_t{1} << 53);
}

bool lt_int_float(std::int64_t i, double f) {
  if (int_fits_float(i)) return static_cast<double>(i) < f;
  std::int64_t fi;
  if (float_to_int_ceil(f, fi)) return i < fi;
  return f > 0;
}
bool le_int_float(std::int64_t i, double f) {
  if (int_fits_float(i)) return static_cast<double>(i) <= f;
  std::int64_t fi;
  if (float_to_int_floor(f, fi)) return i <= fi;
  return f > 0;
}
bool lt_float_int(double f, std::int64_t i) {
  if (int_fits_float(i)) return f < static_cast<double>(i);
  std::int64_t fi;
  if (float_to_int_floor(f, fi)) return fi < i;
  return f < 0;
}
bool le_float_int(double f, std::int64_t i) {
  if (int_fits_float(i)) return f <= static_cast<double>(i);
  std::int64_t fi;
  if (float_to_int_ceil(f, fi)) return fi <= i;
  return f < 0;
}

const char* event_of(BinOp op) {
  switch (op) {
    case BinOp::Add:
      return "__add";
    case BinOp::Sub:
      return "__sub";
    case BinOp::Mul:
      return "__mul";
    case BinOp::Div:
      return "__div";
    case BinOp::IDiv:
      return "__idiv";
    case BinOp::Mod:
      return "__mod";
    case BinOp::Pow:
      return "__pow";
    case BinOp::BAnd:
      return "__band";
    case BinOp::BOr:
      return "__bor";
    case BinOp::BXor:
      return "__bxor";
    case BinOp::Shl:
      return "__shl";
    case BinOp::Shr:
      return "__shr";
    case BinOp::Concat:
      return "__concat";
    default:
      return "";
  }
}

bool is_bitwise(BinOp op) {
  return op == BinOp::BAnd || op == BinOp::BOr || op == BinOp::BXor || op == BinOp::Shl ||
         op == BinOp::Shr;
}

// Integer and float arithmetic on two numbers, as Lua's luaO_rawarith.
bool raw_arith(BinOp op, const Value& a, const Value& b, Value& out, bool& div_zero,
               bool& mod_zero) {
  div_zero = mod_zero = false;
  if (is_bitwise(op)) {
    std::int64_t x, y;
    if (a.is_int())
      x = a.as_int();
    else if (!float_to_int_exact(a.as_float(), x))
      return false;
    if (b.is_int())
      y = b.as_int();
    else if (!float_to_int_exact(b.as_float(), y))
      return false;
    switch (op) {
      case BinOp::BAnd:
        out = Value::integer(x & y);
        break;
      case BinOp::BOr:
        out = Value::integer(x | y);
        break;
      case BinOp::BXor:
        out = Value::integer(x ^ y);
        break;
      case BinOp::Shl:
        out = Value::integer(shift_left(x, y));
        break;
      default:
        out = Value::integer(
            shift_left(x, static_cast<std::int64_t>(0u - static_cast<std::uint64_t>(y))));
        break;
    }
    return true;
  }
  if (a.is_int() && b.is_int() && op != BinOp::Div && op != BinOp::Pow) {
    const std::uint64_t x = static_cast<std::uint64_t>(a.as_int());
    const std::uint64_t y = static_cast<std::uint64_t>(b.as_int());
    const std::int64_t xi = a.as_int(), yi = b.as_int();
    switch (op) {
      case BinOp::Add:
        out = Value::integer(static_cast<std::int64_t>(x + y));
        return true;
      case BinOp::Sub:
        out = Value::integer(static_cast<std::int64_t>(x - y));
        return true;
      case BinOp::Mul:
        out = Value::integer(static_cast<std::int64_t>(x * y));
        return true;
      case BinOp::IDiv: {
        if (yi == 0) {
          div_zero = true;
          return true;
        }
        if (yi == -1) {
          out = Value::integer(static_cast<std::int64_t>(0u - x));
          return true;
        }
        std::int64_t q = xi / yi;
        if ((xi % yi != 0) && ((xi ^ yi) < 0)) q -= 1;
        out = Value::integer(q);
        return true;
      }
      case BinOp::Mod: {
        if (yi == 0) {
          mod_zero = true;
          return true;
        }
        if (yi == -1) {
          out = Value::integer(0);
          return true;
        }
        std::int64_t m = xi % yi;
        if (m != 0 && ((m ^ yi) < 0)) m += yi;
        out = Value::integer(m);
        return true;
      }
      default:
        break;
    }
  }
  const double x = a.as_number(), y = b.as_number();
  switch (op) {
    case BinOp::Add:
      out = Value::number(x + y);
      break;
    case BinOp::Sub:
      out = Value::number(x - y);
      break;
    case BinOp::Mul:
      out = Value::number(x * y);
      break;
    case BinOp::Div:
      out = Value::number(x / y);
      break;
    case BinOp::Pow:
      out = Value::number(y == 2 ? x * x : std::pow(x, y));
      break;
    case BinOp::IDiv:
      out = Value::number(std::floor(x / y));
      break;
    case BinOp::Mod: {
      double m = std::fmod(x, y);
      if ((m > 0) ? y < 0 : (m < 0 && y > 0)) m += y;  // trunc -> floor when the signs differ
      out = Value::number(m);
      break;
    }
    default:
      return false;
  }
  return true;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Metatables, indexing, operators

Value Interp::metatable_of(const Value& v) const {
  if (v.is_table()) return v.table()->meta;
  if (v.is_string()) return string_meta_;
  if (v.is_userdata()) return v.userdata()->meta;
  return Value();
}

Value Interp::metamethod(const Value& v, const char* event) {
  Value mt = metatable_of(v);
  if (!mt.is_table()) return Value();
  return mt.table()->get_str(event);
}

Value Interp::index(const Value& obj, const Value& key, const Expr* obj_expr) {
  Value cur = obj;
  for (int loop = 0; loop < kMaxTagLoop; ++loop) {
    Value handler;
    if (cur.is_table()) {
      Table* t = cur.table();
      Value v = t->get(key);
      if (!v.is_nil() || !t->meta.is_table()) return v;
      handler = t->meta.table()->get_str("__index");
      if (handler.is_nil()) return v;
    } else {
      handler = metamethod(cur, "__index");
      if (handler.is_nil())
        runtime_error(std::string("attempt to index a ") + obj_type_name(cur) + " value" +
                      (loop == 0 ? describe(obj_expr) : std::string()));
    }
    if (handler.is_function()) {
      Values out;
      const bool from_lua = running_lua();
      call_from_native(handler, Values{cur, key}, out, from_lua, metamethod_site("__index"));
      return out.empty() ? Value() : out[0];
    }
    cur = handler;
  }
  runtime_error("'__index' chain too long; possible loop");
}

void Interp::set_index(const Value& obj, const Value& key, Value v, const Expr* obj_expr) {
  Value cur = obj;
  for (int loop = 0; loop < kMaxTagLoop; ++loop) {
    Value handler;
    if (cur.is_table()) {
      Table* t = cur.table();
      if (!t->meta.is_table() || !t->get(key).is_nil() ||
          (handler = t->meta.table()->get_str("__newindex")).is_nil()) {
        if (key.is_nil()) runtime_error("table index is nil");
        if (key.is_float() && std::isnan(key.as_float())) runtime_error("table index is NaN");
        t->set(normalize_key(key), std::move(v));
        return;
      }
    } else {
      handler = metamethod(cur, "__newindex");
      if (handler.is_nil())
        runtime_error(std::string("attempt to index a ") + obj_type_name(cur) + " value" +
                      (loop == 0 ? describe(obj_expr) : std::string()));
    }
    if (handler.is_function()) {
      Values out;
      const bool from_lua = running_lua();
      call_from_native(handler, Values{cur, key, std::move(v)}, out, from_lua,
                       metamethod_site("__newindex"));
      return;
    }
    cur = handler;
  }
  runtime_error("'__newindex' chain too long; possible loop");
}

bool Interp::to_number(const Value& v, Value& out) const {
  if (v.is_number()) {
    out = v;
    return true;
  }
  if (v.is_string()) return string_to_number(v.str(), out);
  return false;
}

bool Interp::to_integer(const Value& v, std::int64_t& out) const {
  Value n;
  if (!to_number(v, n)) return false;
  if (n.is_int()) {
    out = n.as_int();
    return true;
  }
  return float_to_int_exact(n.as_float(), out);
}

Value Interp::try_binary_metamethod(const Value& a, const Value& b, const char* event,
                                    bool& found) {
  Value mm = metamethod(a, event);
  if (mm.is_nil()) mm = metamethod(b, event);
  found = !mm.is_nil();
  if (!found) return Value();
  Values out;
  const bool from_lua = running_lua();
  call_from_native(mm, Values{a, b}, out, from_lua, metamethod_site(event));
  return out.empty() ? Value() : out[0];
}

void Interp::arith_error(BinOp op, const Value& a, const Value& b, const Expr* ea, const Expr* eb) {
  if (is_bitwise(op)) {
    if (a.is_number() && b.is_number()) {
      std::int64_t i;
      bool a_ok = a.is_int() || float_to_int_exact(a.as_float(), i);
      runtime_error("number" + describe(a_ok ? eb : ea) + " has no integer representation");
    }
    const bool blame_a = !a.is_number();
    runtime_error(std::string("attempt to perform bitwise operation on a ") +
                  obj_type_name(blame_a ? a : b) + " value" + describe(blame_a ? ea : eb));
  }
  const bool blame_a = !a.is_number();
  runtime_error(std::string("attempt to perform arithmetic on a ") +
                obj_type_name(blame_a ? a : b) + " value" + describe(blame_a ? ea : eb));
}

Value Interp::arith(BinOp op, const Value& a, const Value& b, const Expr* ea, const Expr* eb) {
  if (a.is_number() && b.is_number()) {
    Value out;
    bool div_zero, mod_zero;
    if (raw_arith(op, a, b, out, div_zero, mod_zero)) {
      if (div_zero) runtime_error("attempt to divide by zero");
      if (mod_zero) runtime_error("attempt to perform 'n%0'");
      return out;
    }
  }
  bool found = false;
  Value r = try_binary_metamethod(a, b, event_of(op), found);
  if (!found) arith_error(op, a, b, ea, eb);
  return r;
}

// The string library's arithmetic metamethods (strings coerce to numbers in arithmetic).
void string_arith(Interp& in, CallArgs& args, BinOp op, const char* event) {
  Value x, y;
  if (in.to_number(args[0], x) && in.to_number(args[1], y)) {
    Value out;
    bool div_zero, mod_zero;
    raw_arith(op, x, y, out, div_zero, mod_zero);
    if (div_zero) in.runtime_error("attempt to divide by zero");
    if (mod_zero) in.runtime_error("attempt to perform 'n%0'");
    args.results.push_back(out);
    return;
  }
  const Value& second = args[1];
  if (!second.is_string()) {
    Value mm = in.metamethod(second, event);
    if (!mm.is_nil()) {
      Values out;
      in.call_from_native(mm, Values{args[0], args[1]}, out, false);  // lstrlib's lua_call
      args.results.push_back(out.empty() ? Value() : out[0]);
      return;
    }
  }
  in.lib_error(std::string("attempt to ") + (event + 2) + " a '" + type_name(args[0]) +
               "' with a '" + type_name(args[1]) + "'");
}

Value Interp::concat(const Value& a, const Value& b, const Expr* ea, const Expr* eb) {
  if (is_string_or_number(a) && is_string_or_number(b)) {
    std::string s = tostring_basic(a);
    s += tostring_basic(b);
    if (s.size() > (std::size_t{1} << 30)) runtime_error("not enough memory");
    return Value::string(s);
  }
  bool found = false;
  Value r = try_binary_metamethod(a, b, "__concat", found);
  if (found) return r;
  const bool blame_a = !is_string_or_number(a);
  runtime_error(std::string("attempt to concatenate a ") + obj_type_name(blame_a ? a : b) +
                " value" + describe(blame_a ? ea : eb));
}

Value Interp::length(const Value& v, const Expr* e) {
  if (v.is_string()) return Value::integer(static_cast<std::int64_t>(v.str().size()));
  Value mm = metamethod(v, "__len");
  if (!mm.is_nil()) {
    Values out;
    const bool from_lua = running_lua();
    // luaV_objlen calls it as luaT_callTMres does every event: with the operand twice
    call_from_native(mm, Values{v, v}, out, from_lua, metamethod_site("__len"));
    return out.empty() ? Value() : out[0];
  }
  if (v.is_table()) return Value::integer(v.table()->border());
  runtime_error(std::string("attempt to get length of a ") + obj_type_name(v) + " value" +
                describe(e));
}

bool Interp::values_equal(const Value& a, const Value& b) {
  if (raw_equal(a, b)) return true;
  if (!a.is_table() || !b.is_table()) return false;
  Value mm = metamethod(a, "__eq");
  if (mm.is_nil()) mm = metamethod(b, "__eq");
  if (mm.is_nil()) return false;
  Values out;
  call_from_native(mm, Values{a, b}, out, true, metamethod_site("__eq"));
  return !out.empty() && out[0].truthy();
}

std::string Interp::obj_type_name(const Value& v) {
  if (v.is_table() || v.is_userdata()) {  // luaT_objtypename: tables and full userdata
    Value name = metamethod(v, "__name");
    if (name.is_string()) return name.str();
  }
  return type_name(v);
}

void Interp::compare_error(const Value& a, const Value& b) {
  const std::string ta = obj_type_name(a);
  const std::string tb = obj_type_name(b);
  if (ta == tb) runtime_error(std::string("attempt to compare two ") + ta + " values");
  runtime_error(std::string("attempt to compare ") + ta + " with " + tb);
}

bool Interp::less_than(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) return a.as_int() < b.as_int();
  if (a.is_number() && b.is_number()) {
    if (a.is_float() && b.is_float()) return a.as_float() < b.as_float();
    if (a.is_int()) return lt_int_float(a.as_int(), b.as_float());
    return lt_float_int(a.as_float(), b.as_int());
  }
  if (a.is_string() && b.is_string()) return a.str() < b.str();
  bool found = false;
  Value r = try_binary_metamethod(a, b, "__lt", found);
  if (!found) compare_error(a, b);
  return r.truthy();
}

bool Interp::less_equal(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) return a.as_int() <= b.as_int();
  if (a.is_number() && b.is_number()) {
    if (a.is_float() && b.is_float()) return a.as_float() <= b.as_float();
    if (a.is_int()) return le_int_float(a.as_int(), b.as_float());
    return le_float_int(a.as_float(), b.as_int());
  }
  if (a.is_string() && b.is_string()) return a.str() <= b.str();
  bool found = false;
  Value r = try_binary_metamethod(a, b, "__le", found);
  if (found) return r.truthy();
  // Lua 5.4.4 is built with LUA_COMPAT_LT_LE: a <= b falls back to not (b < a).
  r = try_binary_metamethod(b, a, "__lt", found);
  if (!found) compare_error(a, b);
  return !r.truthy();
}

std::string Interp::to_display_string(const Value& v) {
  Value mm = metamethod(v, "__tostring");
  if (!mm.is_nil()) {
    Values out;
    call_from_native(mm, Values{v}, out, false);
    if (out.empty() || !out[0].is_string()) {
      if (!out.empty() && out[0].is_number()) return number_to_string(out[0]);
      lib_error("'__tostring' must return a string");
    }
    return out[0].str();
  }
  char buf[64];
  switch (v.tag()) {
    case Tag::Nil:
      return "nil";
    case Tag::Bool:
      return v.as_bool() ? "true" : "false";
    case Tag::Int:
    case Tag::Float:
      return number_to_string(v);
    case Tag::Str:
      return v.str();
    default:
      break;
  }
  Value name = metamethod(v, "__name");
  const char* kind = name.is_string() ? name.str().c_str() : type_name(v);
  // What lua5.4 prints with glibc's %p ("0x" and lowercase hex), on every C library: MinGW's %p
  // would print all 16 digits in uppercase without the "0x".
  const void* address = v.is_light_userdata() ? v.as_pointer() : v.gc();
  std::snprintf(buf, sizeof buf, "%s: 0x%" PRIxPTR, kind,
                reinterpret_cast<std::uintptr_t>(address));
  return buf;
}

}  // namespace replay
