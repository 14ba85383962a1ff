// SPDX-License-Identifier: MIT
// The string library subset: format, rep, len, sub, upper, lower, byte, char, reverse, and the
// string metatable (methods through __index, arithmetic on numeric strings). The pattern
// functions are in lib_pattern.cpp.
#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "binary_chunk.hpp"
#include "libutil.hpp"

namespace replay {

namespace {

// Results longer than this fail with "not enough memory" (Lua would try to allocate them).
constexpr std::size_t kMaxStringSize = std::size_t{1} << 28;

void str_len(Interp& in, CallArgs& a) {
  a.results.push_back(Value::integer(static_cast<std::int64_t>(check_string(in, a, 0).size())));
}

void str_rep(Interp& in, CallArgs& a) {
  const std::string s = check_string(in, a, 0);
  const std::int64_t n = check_integer(in, a, 1);
  const std::string sep = opt_string(in, a, 2, "");
  if (n <= 0) {
    a.results.push_back(Value::string(""));
    return;
  }
  const std::size_t unit = s.size() + sep.size();
  if (unit == 0) {
    a.results.push_back(Value::string(""));
    return;
  }
  // Lua's own limit (MAXSIZE, INT_MAX in 5.4.4), then what this interpreter can hold.
  if (static_cast<std::uint64_t>(n) > static_cast<std::uint64_t>(INT_MAX) / unit)
    in.lib_error("resulting string too large");
  if (static_cast<std::uint64_t>(n) > kMaxStringSize / unit) in.lib_error("not enough memory");
  std::string out;
  out.reserve(unit * static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    if (i > 0) out += sep;
    out += s;
  }
  in.close_buffer_box(out.size());
  a.results.push_back(Value::string(out));
}

}  // namespace

// Lua's posrelatI / getendpos.
std::size_t start_position(std::int64_t pos, std::size_t len) {
  if (pos > 0) return static_cast<std::size_t>(pos);
  if (pos == 0) return 1;
  if (pos < -static_cast<std::int64_t>(len)) return 1;
  return static_cast<std::size_t>(static_cast<std::int64_t>(len) + pos + 1);
}

std::size_t end_position(std::int64_t pos, std::size_t len) {
  if (pos > static_cast<std::int64_t>(len)) return len;
  if (pos >= 0) return static_cast<std::size_t>(pos);
  if (pos < -static_cast<std::int64_t>(len)) return 0;
  return static_cast<std::size_t>(static_cast<std::int64_t>(len) + pos + 1);
}

namespace {

void str_sub(Interp& in, CallArgs& a) {
  const std::string s = check_string(in, a, 0);
  std::size_t start = start_position(check_integer(in, a, 1), s.size());
  std::size_t end = end_position(opt_integer(in, a, 2, -1), s.size());
  if (start <= end)
    a.results.push_back(Value::string(s.substr(start - 1, end - start + 1)));
  else
    a.results.push_back(Value::string(""));
}

void str_upper(Interp& in, CallArgs& a) {
  std::string s = check_string(in, a, 0);
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  in.close_buffer_box(s.size());
  a.results.push_back(Value::string(s));
}

void str_lower(Interp& in, CallArgs& a) {
  std::string s = check_string(in, a, 0);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  in.close_buffer_box(s.size());
  a.results.push_back(Value::string(s));
}

void str_reverse(Interp& in, CallArgs& a) {
  std::string s = check_string(in, a, 0);
  in.close_buffer_box(s.size());
  a.results.push_back(Value::string(std::string(s.rbegin(), s.rend())));
}

void str_byte(Interp& in, CallArgs& a) {
  const std::string s = check_string(in, a, 0);
  const std::int64_t pi = opt_integer(in, a, 1, 1);
  const std::size_t start = start_position(pi, s.size());
  const std::size_t end = end_position(opt_integer(in, a, 2, pi), s.size());  // default: i as given
  if (start > end) return;
  in.check_value_stack(end - start + 1, "string slice too long");
  for (std::size_t i = start; i <= end; ++i)
    a.results.push_back(Value::integer(static_cast<unsigned char>(s[i - 1])));
}

void str_char(Interp& in, CallArgs& a) {
  std::string out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    std::int64_t c = check_integer(in, a, i);
    if (c < 0 || c > 255) in.arg_error(static_cast<int>(i) + 1, "value out of range");
    out += static_cast<char>(c);
  }
  in.close_buffer_box(out.size());
  a.results.push_back(Value::string(out));
}

// ---------------------------------------------------------------------------------------------
// string.format

void add_quoted_string(std::string& out, const std::string& s) {
  out += '"';
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const bool next_is_digit =
        i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]));
    if (c == '"' || c == '\\' || c == '\n') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (std::iscntrl(c)) {
      char buf[8];
      std::snprintf(buf, sizeof buf, next_is_digit ? "\\%03d" : "\\%d", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

void add_literal(Interp& in, std::string& out, const Value& v, int arg) {
  char buf[128];
  switch (v.tag()) {
    case Tag::Str:
      add_quoted_string(out, v.str());
      return;
    case Tag::Int:
      if (v.as_int() == INT64_MIN)
        out += "0x8000000000000000";
      else
        out += std::to_string(v.as_int());
      return;
    case Tag::Float: {
      const double d = v.as_float();
      if (d == HUGE_VAL)
        out += "1e9999";
      else if (d == -HUGE_VAL)
        out += "-1e9999";
      else if (d != d)
        out += "(0/0)";
      else {
        std::snprintf(buf, sizeof buf, "%a", d);
        out += buf;
      }
      return;
    }
    case Tag::Nil:
    case Tag::Bool:
      out += in.to_display_string(v);
      return;
    default:
      in.arg_error(arg, "value has no literal form");
  }
}

// Lua's checkformat: flags from `flags`, at most two width digits, and a precision of at most two
// digits where allowed.
void check_format(Interp& in, const std::string& form, const char* flags, bool precision) {
  std::size_t i = 1;
  while (i < form.size() && std::strchr(flags, form[i]) != nullptr && form[i] != '\0') ++i;
  if (i < form.size() && form[i] != '0') {
    for (int d = 0; d < 2 && i < form.size() && std::isdigit(static_cast<unsigned char>(form[i]));
         ++d)
      ++i;
    if (i < form.size() && form[i] == '.' && precision) {
      ++i;
      for (int d = 0; d < 2 && i < form.size() && std::isdigit(static_cast<unsigned char>(form[i]));
           ++d)
        ++i;
    }
  }
  if (i >= form.size() || !std::isalpha(static_cast<unsigned char>(form[i])))
    in.lib_error("invalid conversion specification: '" + form + "'");
}

// string.dump(f [, strip]): natives cannot be dumped (lstrlib.c's message).
void str_dump(Interp& in, CallArgs& a) {
  if (!a[0].is_function()) in.type_error_arg(1, "function", arg_missing(a, 0) ? nullptr : &a[0]);
  const Function& fn = *a[0].func();
  if (!fn.is_lua()) in.lib_error("unable to dump given function");
  a.results.push_back(Value::string(dump_function(in, fn, a[1].truthy())));
}

// The room lstrlib's str_format reserves in its buffer for one conversion's text: MAX_ITEM, or
// MAX_ITEMF for '%f' (110 + DBL_MAX_10_EXP).
std::size_t format_item_room(char spec) { return spec == 'f' ? 110 + 308 : 120; }

void str_format(Interp& in, CallArgs& a) {
  const std::string fmt = check_string(in, a, 0);
  std::string out;
  std::size_t buffer_peak = 0;  // the most the luaL_Buffer needed (text plus reserved room)
  std::size_t arg = 0;
  char buf[512];
  for (std::size_t i = 0; i < fmt.size();) {
    char c = fmt[i++];
    if (c != '%') {
      out += c;
      continue;
    }
    if (i < fmt.size() && fmt[i] == '%') {
      out += '%';
      ++i;
      continue;
    }
    // A conversion: flags, width and precision, then the specifier.
    std::size_t span = 0;
    while (i + span < fmt.size() && std::strchr("-+ #0123456789.", fmt[i + span]) != nullptr)
      ++span;
    ++span;
    if (span >= 32 - 10) in.lib_error("invalid format string to 'format'");
    std::string form = "%" + fmt.substr(i, span);
    i += span;
    ++arg;
    if (arg >= a.size()) in.arg_error(static_cast<int>(arg) + 1, "no value");
    const char spec = form.back();
    const int argno = static_cast<int>(arg) + 1;
    buffer_peak = std::max(buffer_peak, out.size() + format_item_room(spec));
    switch (spec) {
      case 'c': {
        check_format(in, form, "-", false);
        std::int64_t n = check_integer(in, a, arg);
        const int len = std::snprintf(buf, sizeof buf, form.c_str(), static_cast<int>(n));
        out.append(buf, static_cast<std::size_t>(len));  // '%c' of 0 writes a NUL
        break;
      }
      case 'd':
      case 'i':
      case 'u':
      case 'o':
      case 'x':
      case 'X': {
        std::int64_t n = check_integer(in, a, arg);
        check_format(in, form,
                     (spec == 'd' || spec == 'i') ? "-+ 0"
                     : spec == 'u'                ? "-0"
                                                  : "-#0",
                     true);
        form.insert(form.size() - 1, "ll");
        std::snprintf(buf, sizeof buf, form.c_str(), static_cast<long long>(n));
        out += buf;
        break;
      }
      case 'a':
      case 'A':
      case 'f':  // no 'F': lstrlib.c 5.4.4 rejects it as an invalid conversion
      case 'e':
      case 'E':
      case 'g':
      case 'G': {
        Value n = check_number(in, a, arg);
        check_format(in, form, "-+ #0", true);
        std::vector<char> big(512 + (std::fabs(n.as_number()) > 1e100 && spec == 'f' ? 400 : 0));
        std::snprintf(big.data(), big.size(), form.c_str(), n.as_number());
        out += big.data();
        break;
      }
      case 'q': {
        if (form.size() != 2) in.lib_error("specifier '%q' cannot have modifiers");
        add_literal(in, out, a[arg], argno);
        break;
      }
      case 's': {
        std::string s = in.to_display_string(a[arg]);
        if (form.size() == 2) {
          out += s;
          break;
        }
        if (s.find('\0') != std::string::npos) in.arg_error(argno, "string contains zeros");
        check_format(in, form, "-", true);
        if (form.find('.') == std::string::npos && s.size() >= 100) {
          out += s;
        } else {
          std::snprintf(buf, sizeof buf, form.c_str(), s.c_str());
          out += buf;
        }
        break;
      }
      default:
        in.lib_error("invalid conversion '" + form + "' to 'format'");
    }
    if (out.size() > kMaxStringSize) in.lib_error("not enough memory");
  }
  in.close_buffer_box(std::max(buffer_peak, out.size()));
  a.results.push_back(Value::string(out));
}

// Arithmetic metamethods of strings.
void str_add(Interp& in, CallArgs& a) { string_arith(in, a, BinOp::Add, "__add"); }
void str_sub_mm(Interp& in, CallArgs& a) { string_arith(in, a, BinOp::Sub, "__sub"); }
void str_mul(Interp& in, CallArgs& a) { string_arith(in, a, BinOp::Mul, "__mul"); }
void str_div(Interp& in, CallArgs& a) { string_arith(in, a, BinOp::Div, "__div"); }
void str_mod(Interp& in, CallArgs& a) { string_arith(in, a, BinOp::Mod, "__mod"); }
void str_pow(Interp& in, CallArgs& a) { string_arith(in, a, BinOp::Pow, "__pow"); }
void str_idiv(Interp& in, CallArgs& a) { string_arith(in, a, BinOp::IDiv, "__idiv"); }
void str_unm(Interp& in, CallArgs& a) {
  Value x;
  if (in.to_number(a[0], x)) {
    if (x.is_int())
      a.results.push_back(
          Value::integer(static_cast<std::int64_t>(0u - static_cast<std::uint64_t>(x.as_int()))));
    else
      a.results.push_back(Value::number(-x.as_float()));
    return;
  }
  string_arith(in, a, BinOp::Sub, "__unm");
}

}  // namespace

void open_string(Interp& in) {
  auto* s = new Table();
  Value sv = Value::object(s);
  in.globals()->set(Value::string("string"), sv);
  in.register_native(s, "len", str_len, "string.len");
  in.register_native(s, "rep", str_rep, "string.rep");
  in.register_native(s, "sub", str_sub, "string.sub");
  in.register_native(s, "upper", str_upper, "string.upper");
  in.register_native(s, "lower", str_lower, "string.lower");
  in.register_native(s, "reverse", str_reverse, "string.reverse");
  in.register_native(s, "byte", str_byte, "string.byte");
  in.register_native(s, "char", str_char, "string.char");
  in.register_native(s, "format", str_format, "string.format");
  in.register_native(s, "dump", str_dump, "string.dump");
  open_string_patterns(in, s);
  static const char* const kLeftOut[][2] = {
      {"pack", "string.pack"}, {"unpack", "string.unpack"}, {"packsize", "string.packsize"}};
  for (const auto& name : kLeftOut) in.register_native(s, name[0], unsupported_function, name[1]);
  auto* meta = new Table();
  Value mv = Value::object(meta);
  meta->set(Value::string("__index"), sv);
  in.register_native(meta, "__add", str_add, "__add");
  in.register_native(meta, "__sub", str_sub_mm, "__sub");
  in.register_native(meta, "__mul", str_mul, "__mul");
  in.register_native(meta, "__div", str_div, "__div");
  in.register_native(meta, "__mod", str_mod, "__mod");
  in.register_native(meta, "__pow", str_pow, "__pow");
  in.register_native(meta, "__idiv", str_idiv, "__idiv");
  in.register_native(meta, "__unm", str_unm, "__unm");
  in.string_meta() = mv;
}

}  // namespace replay
