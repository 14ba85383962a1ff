// SPDX-License-Identifier: MIT
// The table and math library subsets.
#include <cassert>
#include <climits>
#include <cmath>
#include <cstdint>
#include <ctime>

#include "libutil.hpp"

namespace replay {

namespace {

// Lua's aux_getn: the length as `#` sees it (with __len).
std::int64_t table_length(Interp& in, CallArgs& a) {
  check_table(in, a, 0);
  Value n = in.length(a[0]);
  if (!n.is_int()) in.lib_error("object length is not an integer");
  return n.as_int();
}

Value get_at(Interp& in, const Value& t, std::int64_t i) { return in.index(t, Value::integer(i)); }
void set_at(Interp& in, const Value& t, std::int64_t i, Value v) {
  in.set_index(t, Value::integer(i), std::move(v));
}

void tab_insert(Interp& in, CallArgs& a) {
  const std::int64_t e = table_length(in, a) + 1;  // first empty slot
  std::int64_t pos = e;
  switch (a.size()) {
    case 2:
      break;
    case 3: {
      pos = check_integer(in, a, 1);
      if (static_cast<std::uint64_t>(pos) - 1u >= static_cast<std::uint64_t>(e))
        in.arg_error(2, "position out of bounds");
      for (std::int64_t i = e; i > pos; --i) set_at(in, a[0], i, get_at(in, a[0], i - 1));
      break;
    }
    default:
      in.lib_error("wrong number of arguments to 'insert'");
  }
  set_at(in, a[0], pos, a[a.size() - 1]);
}

void tab_remove(Interp& in, CallArgs& a) {
  const std::int64_t size = table_length(in, a);
  std::int64_t pos = opt_integer(in, a, 1, size);
  if (!a[1].is_nil() && pos != size &&
      static_cast<std::uint64_t>(pos) - 1u > static_cast<std::uint64_t>(size))
    in.arg_error(1, "position out of bounds");  // sic: Lua 5.4.4 names argument #1 here
  a.results.push_back(get_at(in, a[0], pos));
  for (; pos < size; ++pos) set_at(in, a[0], pos, get_at(in, a[0], pos + 1));
  set_at(in, a[0], pos, Value());
}

void tab_concat(Interp& in, CallArgs& a) {
  std::int64_t last = table_length(in, a);
  const std::string sep = opt_string(in, a, 1, "");
  std::int64_t i = opt_integer(in, a, 2, 1);
  last = opt_integer(in, a, 3, last);
  std::string out;
  auto add = [&](std::int64_t k) {
    Value v = get_at(in, a[0], k);
    if (v.is_string())
      out += v.str();
    else if (v.is_number())
      out += number_to_string(v);
    else
      in.lib_error(std::string("invalid value (") + type_name(v) + ") at index " +
                   std::to_string(k) + " in table for 'concat'");
    if (out.size() > (std::size_t{1} << 28)) in.lib_error("not enough memory");
  };
  for (; i < last; ++i) {
    add(i);
    out += sep;
  }
  if (i == last) add(i);
  in.close_buffer_box(out.size());
  a.results.push_back(Value::string(out));
}

void tab_pack(Interp&, CallArgs& a) {
  auto* t = new Table();
  Value tv = Value::object(t);
  t->array = a.args;
  t->set(Value::string("n"), Value::integer(static_cast<std::int64_t>(a.size())));
  a.results.push_back(tv);
}

void tab_unpack(Interp& in, CallArgs& a) {
  std::int64_t i = opt_integer(in, a, 1, 1);
  std::int64_t e = a[2].is_nil() ? in.length(a[0]).as_int() : check_integer(in, a, 2);
  if (i > e) return;
  const std::uint64_t n = static_cast<std::uint64_t>(e) - static_cast<std::uint64_t>(i);
  if (n >= static_cast<std::uint64_t>(INT_MAX) || !in.has_value_stack_room(n + 1))
    in.lib_error("too many results to unpack");
  for (std::int64_t k = i; k <= e; ++k) {
    a.results.push_back(get_at(in, a[0], k));
    if (k == e) break;
  }
}

// table.sort: Lua's quicksort (median of three, pivot moved next to the end), so that the
// comparator sees the same calls in the same order and an inconsistent one is caught alike.
class Sorter {
 public:
  Sorter(Interp& in, Value t, Value comp) : in_(in), t_(std::move(t)), comp_(std::move(comp)) {}

  void sort(std::int64_t lo, std::int64_t up) {
    unsigned rnd = 0;
    while (lo < up) {
      if (less(get(up), get(lo))) swap(lo, up);
      if (up - lo == 1) break;
      std::int64_t p = (up - lo < 100 || rnd == 0) ? lo + (up - lo) / 2 : choose_pivot(lo, up, rnd);
      if (less(get(p), get(lo))) {
        swap(p, lo);
      } else if (less(get(up), get(p))) {
        swap(p, up);
      }
      if (up - lo == 2) break;
      Value pivot = get(p);
      swap(p, up - 1);
      p = partition(lo, up, pivot);
      std::int64_t n;
      if (p - lo < up - p) {
        sort(lo, p - 1);
        n = p - lo;
        lo = p + 1;
      } else {
        sort(p + 1, up);
        n = up - p;
        up = p - 1;
      }
      if ((up - lo) / 128 > n) rnd = 0x9e3779b9u;  // Lua randomizes here; any fixed choice is valid
    }
  }

 private:
  Value get(std::int64_t i) { return get_at(in_, t_, i); }
  void swap(std::int64_t i, std::int64_t j) {
    Value a = get(i), b = get(j);
    set_at(in_, t_, i, b);
    set_at(in_, t_, j, a);
  }
  bool less(const Value& a, const Value& b) {
    if (comp_.is_nil()) return in_.less_than(a, b);
    Values out;
    in_.call_from_native(comp_, Values{a, b}, out, false);
    return !out.empty() && out[0].truthy();
  }
  static std::int64_t choose_pivot(std::int64_t lo, std::int64_t up, unsigned rnd) {
    std::int64_t r4 = (up - lo) / 4;
    return static_cast<std::int64_t>(rnd % static_cast<unsigned>(r4 * 2)) + (lo + r4);
  }
  std::int64_t partition(std::int64_t lo, std::int64_t up, const Value& pivot) {
    std::int64_t i = lo, j = up - 1;
    for (;;) {
      while (less(get(++i), pivot)) {
        if (i == up - 1) in_.lib_error("invalid order function for sorting");
      }
      while (less(pivot, get(--j))) {
        if (j < i) in_.lib_error("invalid order function for sorting");
      }
      if (j < i) {
        swap(up - 1, i);
        return i;
      }
      swap(i, j);
    }
  }

  Interp& in_;
  Value t_;
  Value comp_;
};

void tab_sort(Interp& in, CallArgs& a) {
  const std::int64_t n = table_length(in, a);
  if (n <= 1) return;
  if (n >= INT_MAX) in.arg_error(1, "array too big");
  if (!a[1].is_nil() && !a[1].is_function()) in.type_error_arg(2, "function", &a[1]);
  Sorter(in, a[0], a[1]).sort(1, n);
}

// ---------------------------------------------------------------------------------------------
// math

Value int_or_float(double d) {
  std::int64_t i;
  if (float_to_int_exact(d, i)) return Value::integer(i);
  return Value::number(d);
}

void math_floor(Interp& in, CallArgs& a) {
  if (a[0].is_int()) {
    a.results.push_back(a[0]);
    return;
  }
  a.results.push_back(int_or_float(std::floor(check_number(in, a, 0).as_number())));
}

void math_ceil(Interp& in, CallArgs& a) {
  if (a[0].is_int()) {
    a.results.push_back(a[0]);
    return;
  }
  a.results.push_back(int_or_float(std::ceil(check_number(in, a, 0).as_number())));
}

// Lua's math functions take the integer path only for integer values (lua_isinteger does not
// convert strings); a numeric string is read as a float.
void math_abs(Interp& in, CallArgs& a) {
  if (a[0].is_int()) {
    std::int64_t i = a[0].as_int();
    a.results.push_back(
        Value::integer(i < 0 ? static_cast<std::int64_t>(0u - static_cast<std::uint64_t>(i)) : i));
  } else {
    a.results.push_back(Value::number(std::fabs(check_number(in, a, 0).as_number())));
  }
}

// Lua compares the arguments as they are (lua_compare): no number check, no conversion.
void math_minmax(Interp& in, CallArgs& a, bool want_max) {
  if (a.size() < 1) in.arg_error(1, "value expected");
  Value best = a[0];
  for (std::size_t i = 1; i < a.size(); ++i) {
    const Value& v = a[i];
    if (want_max ? in.less_than(best, v) : in.less_than(v, best)) best = v;
  }
  a.results.push_back(best);
}
void math_max(Interp& in, CallArgs& a) { math_minmax(in, a, true); }
void math_min(Interp& in, CallArgs& a) { math_minmax(in, a, false); }

void math_type(Interp& in, CallArgs& a) {
  check_any(in, a, 0);
  if (a[0].is_int())
    a.results.push_back(Value::string("integer"));
  else if (a[0].is_float())
    a.results.push_back(Value::string("float"));
  else
    a.results.push_back(Value());
}

void math_tointeger(Interp& in, CallArgs& a) {
  std::int64_t i;
  if (a[0].is_int()) {
    a.results.push_back(a[0]);
  } else if ((a[0].is_float() || a[0].is_string()) && in.to_integer(a[0], i)) {
    a.results.push_back(Value::integer(i));
  } else {
    check_any(in, a, 0);
    a.results.push_back(Value());
  }
}

void math_sqrt(Interp& in, CallArgs& a) {
  a.results.push_back(Value::number(std::sqrt(check_number(in, a, 0).as_number())));
}

void math_fmod(Interp& in, CallArgs& a) {
  Value x = check_number(in, a, 0), y = check_number(in, a, 1);
  if (a[0].is_int() && a[1].is_int()) {
    std::int64_t d = y.as_int();
    if (static_cast<std::uint64_t>(d) + 1u <= 1u) {  // 0 or -1
      if (d == 0) in.arg_error(2, "zero");
      a.results.push_back(Value::integer(0));
      return;
    }
    a.results.push_back(Value::integer(x.as_int() % d));
    return;
  }
  a.results.push_back(Value::number(std::fmod(x.as_number(), y.as_number())));
}

// The unary float functions of lmathlib.c: luaL_checknumber, then the C function.
template <double (*Fn)(double)>
void math_unary(Interp& in, CallArgs& a) {
  a.results.push_back(Value::number(Fn(check_number(in, a, 0).as_number())));
}
double sin_of(double x) { return std::sin(x); }
double cos_of(double x) { return std::cos(x); }
double tan_of(double x) { return std::tan(x); }
double asin_of(double x) { return std::asin(x); }
double acos_of(double x) { return std::acos(x); }
double exp_of(double x) { return std::exp(x); }
constexpr double kPi = 3.141592653589793238462643383279502884;
double deg_of(double x) { return x * (180.0 / kPi); }
double rad_of(double x) { return x * (kPi / 180.0); }

void math_atan(Interp& in, CallArgs& a) {
  const double y = check_number(in, a, 0).as_number();
  const double x = arg_missing(a, 1) ? 1.0 : check_number(in, a, 1).as_number();
  a.results.push_back(Value::number(std::atan2(y, x)));
}

// math.log(x [, base]): bases 2 and 10 use log2 and log10, as lmathlib.c does.
void math_log(Interp& in, CallArgs& a) {
  const double x = check_number(in, a, 0).as_number();
  if (arg_missing(a, 1)) {
    a.results.push_back(Value::number(std::log(x)));
    return;
  }
  const double base = check_number(in, a, 1).as_number();
  double result = 0;
  if (base == 2.0)
    result = std::log2(x);
  else if (base == 10.0)
    result = std::log10(x);
  else
    result = std::log(x) / std::log(base);
  a.results.push_back(Value::number(result));
}

// math.modf: an integer argument is its own integer part (kept an integer); a float's integral
// part is an integer when it fits, its fraction 0.0 for infinities.
void math_modf(Interp& in, CallArgs& a) {
  if (a[0].is_int()) {
    a.results.push_back(a[0]);
    a.results.push_back(Value::number(0.0));
    return;
  }
  const double n = check_number(in, a, 0).as_number();
  const double integral = n < 0 ? std::ceil(n) : std::floor(n);
  a.results.push_back(int_or_float(integral));
  a.results.push_back(Value::number(n == integral ? 0.0 : n - integral));
}

// math.random and math.randomseed: xoshiro256**, seeded and projected as lmathlib.c does, so a
// seeded sequence is lua5.4's.
std::uint64_t rotate_left(std::uint64_t x, int n) { return (x << n) | (x >> (64 - n)); }

std::uint64_t next_random(Interp::RandomState& s) {
  const std::uint64_t result = rotate_left(s[1] * 5, 7) * 9;
  const std::uint64_t shifted = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= shifted;
  s[3] = rotate_left(s[3], 45);
  return result;
}

// The smallest 2^b - 1 not below `n`; a value above `n` is drawn again (no bias).
std::uint64_t project_random(std::uint64_t ran, std::uint64_t n, Interp::RandomState& s) {
  if ((n & (n + 1)) == 0) return ran & n;
  std::uint64_t lim = n;
  for (int shift = 1; shift < 64; shift *= 2) lim |= lim >> shift;
  assert((lim & (lim + 1)) == 0 && lim >= n && (lim >> 1) < n);
  while ((ran &= lim) > n) ran = next_random(s);
  return ran;
}

void math_random(Interp& in, CallArgs& a) {
  auto& state = in.library_state().random;
  const std::uint64_t rv = next_random(state);
  std::int64_t low = 1, up = 0;
  switch (a.size()) {
    case 0:  // a float in [0, 1) from the 53 high bits
      a.results.push_back(Value::number(static_cast<double>(rv >> 11) * 0x1.0p-53));
      return;
    case 1:
      up = check_integer(in, a, 0);
      if (up == 0) {  // math.random(0): all 64 bits
        a.results.push_back(Value::integer(static_cast<std::int64_t>(rv)));
        return;
      }
      break;
    case 2:
      low = check_integer(in, a, 0);
      up = check_integer(in, a, 1);
      break;
    default:
      in.lib_error("wrong number of arguments");
  }
  if (low > up) in.arg_error(1, "interval is empty");
  const std::uint64_t span = static_cast<std::uint64_t>(up) - static_cast<std::uint64_t>(low);
  const std::uint64_t p = project_random(rv, span, state);
  a.results.push_back(
      Value::integer(static_cast<std::int64_t>(p + static_cast<std::uint64_t>(low))));
}

// Seeds the generator and returns the two seeds; 16 draws spread them.
void seed_random(Interp::RandomState& s, std::uint64_t n1, std::uint64_t n2) {
  s = {n1, 0xff, n2, 0};  // 0xff: the state is never all zeros
  for (int i = 0; i < 16; ++i) next_random(s);
}

void math_randomseed(Interp& in, CallArgs& a) {
  std::uint64_t n1 = 0, n2 = 0;
  if (a.size() == 0) {
    n1 = static_cast<std::uint64_t>(std::time(nullptr));
    n2 = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(&in));
  } else {
    n1 = static_cast<std::uint64_t>(check_integer(in, a, 0));
    n2 = static_cast<std::uint64_t>(opt_integer(in, a, 1, 0));
  }
  seed_random(in.library_state().random, n1, n2);
  a.results.push_back(Value::integer(static_cast<std::int64_t>(n1)));
  a.results.push_back(Value::integer(static_cast<std::int64_t>(n2)));
}

void math_ult(Interp& in, CallArgs& a) {
  std::uint64_t x = static_cast<std::uint64_t>(check_integer(in, a, 0));
  std::uint64_t y = static_cast<std::uint64_t>(check_integer(in, a, 1));
  a.results.push_back(Value::boolean(x < y));
}

}  // namespace

void open_table(Interp& in) {
  auto* t = new Table();
  in.globals()->set(Value::string("table"), Value::object(t));
  in.register_native(t, "insert", tab_insert, "table.insert");
  in.register_native(t, "remove", tab_remove, "table.remove");
  in.register_native(t, "concat", tab_concat, "table.concat");
  in.register_native(t, "pack", tab_pack, "table.pack");
  in.register_native(t, "unpack", tab_unpack, "table.unpack");
  in.register_native(t, "sort", tab_sort, "table.sort");
  in.register_native(t, "move", unsupported_function, "table.move");
}

void open_math(Interp& in) {
  auto* m = new Table();
  in.globals()->set(Value::string("math"), Value::object(m));
  in.register_native(m, "floor", math_floor, "math.floor");
  in.register_native(m, "ceil", math_ceil, "math.ceil");
  in.register_native(m, "abs", math_abs, "math.abs");
  in.register_native(m, "max", math_max, "math.max");
  in.register_native(m, "min", math_min, "math.min");
  in.register_native(m, "type", math_type, "math.type");
  in.register_native(m, "tointeger", math_tointeger, "math.tointeger");
  in.register_native(m, "sqrt", math_sqrt, "math.sqrt");
  in.register_native(m, "fmod", math_fmod, "math.fmod");
  in.register_native(m, "ult", math_ult, "math.ult");
  in.register_native(m, "sin", math_unary<sin_of>, "math.sin");
  in.register_native(m, "cos", math_unary<cos_of>, "math.cos");
  in.register_native(m, "tan", math_unary<tan_of>, "math.tan");
  in.register_native(m, "asin", math_unary<asin_of>, "math.asin");
  in.register_native(m, "acos", math_unary<acos_of>, "math.acos");
  in.register_native(m, "exp", math_unary<exp_of>, "math.exp");
  in.register_native(m, "deg", math_unary<deg_of>, "math.deg");
  in.register_native(m, "rad", math_unary<rad_of>, "math.rad");
  in.register_native(m, "atan", math_atan, "math.atan");
  in.register_native(m, "log", math_log, "math.log");
  in.register_native(m, "modf", math_modf, "math.modf");
  in.register_native(m, "random", math_random, "math.random");
  in.register_native(m, "randomseed", math_randomseed, "math.randomseed");
  // lua.c starts with a seed from the clock and an address, as randseed does
  seed_random(in.library_state().random, static_cast<std::uint64_t>(std::time(nullptr)),
              static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(&in)));
  m->set(Value::string("huge"), Value::number(HUGE_VAL));
  m->set(Value::string("pi"), Value::number(kPi));
  m->set(Value::string("maxinteger"), Value::integer(INT64_MAX));
  m->set(Value::string("mininteger"), Value::integer(INT64_MIN));
}

}  // namespace replay
