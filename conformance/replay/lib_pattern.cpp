// SPDX-License-Identifier: MIT
// string.find, match, gmatch and gsub on top of the pattern matcher (lua_pattern.hpp), with
// lstrlib.c's argument checks, results and C-call rules: a gsub replacement function or __index
// runs one C level up and cannot yield; gmatch's iterator is a native that calls no Lua.
#include <cassert>

#include "interp_internal.hpp"
#include "libutil.hpp"
#include "lua_pattern.hpp"

namespace replay {

namespace {

// Longer results fail with "not enough memory" (as in lib_string.cpp).
constexpr std::size_t kMaxResultSize = std::size_t{1} << 28;

// Where a search starts, 0-based (posrelatI - 1); len + 1 for anything past the end.
std::size_t search_start(std::int64_t pos, std::size_t len) {
  if (pos > 0 && static_cast<std::uint64_t>(pos) - 1 > len) return len + 1;
  return start_position(pos, len) - 1;
}

// The matcher's errors become Lua errors at the caller's position (luaL_error); raised outside
// the catch block, since raising may run a message handler. Before raising, the recursion
// budget the error left goes to `budget_left` when given.
std::size_t match_or_raise(Interp& in, PatternMatcher& m, std::size_t start,
                           Value* budget_left = nullptr) {
  std::string message;
  try {
    return m.match_at(start);
  } catch (const PatternError& e) {
    message = e.message;
  }
  if (budget_left != nullptr) *budget_left = Value::integer(m.depth_left());
  in.lib_error(message);
}

Value capture_or_raise(Interp& in, const PatternMatcher& m, int i, std::size_t start,
                       std::size_t end) {
  std::string message;
  try {
    const CaptureValue c = m.capture(i, start, end);
    if (c.is_position) return Value::integer(static_cast<std::int64_t>(c.position));
    return Value::string(c.text);
  } catch (const PatternError& e) {
    message = e.message;
  }
  in.lib_error(message);
}

// Lua's push_captures: every capture, or the whole match [start, end) when there is none and
// `whole_if_none`.
void push_captures(Interp& in, const PatternMatcher& m, std::size_t start, std::size_t end,
                   bool whole_if_none, Values& out) {
  const int n = (m.capture_count() == 0 && whole_if_none) ? 1 : m.capture_count();
  for (int i = 0; i < n; ++i) out.push_back(capture_or_raise(in, m, i, start, end));
}

// Long backtracking counts against the run's step budget (options::max_steps).
void count_matcher_steps(Interp& in, PatternMatcher& m) {
  m.set_step_hook([](void* interp) { static_cast<Interp*>(interp)->count_step(); }, &in);
}

std::string_view without_anchor(std::string_view pattern, bool& anchored) {
  anchored = !pattern.empty() && pattern[0] == '^';
  return anchored ? pattern.substr(1) : pattern;
}

// string.find (find) and string.match (!find).
void find_or_match(Interp& in, CallArgs& a, bool find) {
  const std::string s = check_string(in, a, 0);
  const std::string p = check_string(in, a, 1);
  const std::size_t init = search_start(opt_integer(in, a, 2, 1), s.size());
  if (init > s.size()) {
    a.results.push_back(Value());
    return;
  }
  if (find && (a[3].truthy() || PatternMatcher::is_plain(p))) {
    const std::size_t at = s.find(p, init);
    if (at == std::string::npos) {
      a.results.push_back(Value());
      return;
    }
    a.results.push_back(Value::integer(static_cast<std::int64_t>(at + 1)));
    a.results.push_back(Value::integer(static_cast<std::int64_t>(at + p.size())));
    return;
  }
  bool anchored;
  PatternMatcher m(s, without_anchor(p, anchored));
  count_matcher_steps(in, m);
  std::size_t start = init;
  do {
    const std::size_t end = match_or_raise(in, m, start);
    if (end == PatternMatcher::npos) continue;
    if (find) {
      a.results.push_back(Value::integer(static_cast<std::int64_t>(start + 1)));
      a.results.push_back(Value::integer(static_cast<std::int64_t>(end)));
    }
    push_captures(in, m, start, end, !find, a.results);
    return;
  } while (start++ < s.size() && !anchored);
  a.results.push_back(Value());
}

void str_find(Interp& in, CallArgs& a) { find_or_match(in, a, true); }
void str_match(Interp& in, CallArgs& a) { find_or_match(in, a, false); }

// ---------------------------------------------------------------------------------------------
// string.gmatch: the iterator keeps the subject, the pattern, where the next search starts, where
// the last match ended (nil before the first) and the matcher's recursion budget as its
// upvalues. Like lstrlib.c's, the budget is not restored when a match fails with an error, so a
// later call may find a pattern too complex sooner (or, past zero, never).

enum GmatchState : std::size_t { kSubject, kPattern, kNext, kLastEnd, kBudget, kGmatchStateSize };

void gmatch_step(Interp& in, CallArgs& a) {
  std::vector<Value>& state = a.self->upvalues;
  assert(state.size() == kGmatchStateSize);
  const std::string& s = state[kSubject].str();
  PatternMatcher m(s, state[kPattern].str(), static_cast<int>(state[kBudget].as_int()));
  count_matcher_steps(in, m);
  for (auto start = static_cast<std::size_t>(state[kNext].as_int()); start <= s.size(); ++start) {
    const std::size_t end = match_or_raise(in, m, start, &state[kBudget]);
    if (end == PatternMatcher::npos) continue;
    // An empty match where the last one ended is skipped.
    if (!state[kLastEnd].is_nil() && end == static_cast<std::size_t>(state[kLastEnd].as_int()))
      continue;
    state[kNext] = state[kLastEnd] = Value::integer(static_cast<std::int64_t>(end));
    push_captures(in, m, start, end, true, a.results);
    return;
  }
}

void str_gmatch(Interp& in, CallArgs& a) {
  const std::string s = check_string(in, a, 0);
  const std::string p = check_string(in, a, 1);
  const std::size_t init = search_start(opt_integer(in, a, 2, 1), s.size());
  Value iterator = in.make_native(gmatch_step, "gmatch iterator");
  std::vector<Value>& state = iterator.func()->upvalues;
  state.resize(kGmatchStateSize);
  state[kSubject] = Value::string(s);
  state[kPattern] = Value::string(p);  // no anchor: a leading '^' is an ordinary character here
  state[kNext] = Value::integer(static_cast<std::int64_t>(init));
  state[kBudget] = Value::integer(kMaxMatchDepth);
  a.results.push_back(iterator);
}

// ---------------------------------------------------------------------------------------------
// string.gsub

// One match being replaced: subject[start, end).
struct Substitution {
  Interp& in;
  const PatternMatcher& m;
  std::size_t start;
  std::size_t end;
  const std::string& subject;
  std::string_view whole() const { return std::string_view(subject).substr(start, end - start); }
};

// A replacement string: %0-%9 name captures (%0 and, without captures, %1 the whole match), %%
// is '%'.
void add_replacement_string(const Substitution& sub, const std::string& repl, std::string& out) {
  for (std::size_t i = 0; i < repl.size(); ++i) {
    if (repl[i] != '%') {
      out += repl[i];
      continue;
    }
    const char next = ++i < repl.size() ? repl[i] : '\0';
    if (next == '%') {
      out += '%';
    } else if (next == '0') {
      out += sub.whole();
    } else if (next >= '1' && next <= '9') {
      const Value c = capture_or_raise(sub.in, sub.m, next - '1', sub.start, sub.end);
      out += c.is_string() ? c.str() : number_to_string(c);
    } else {
      sub.in.lib_error("invalid use of '%' in replacement string");
    }
  }
}

// The value a function or table gives for one match; false or nil keeps the match. Returns
// whether the subject changed.
bool add_replacement_value(const Substitution& sub, const Value& v, std::string& out) {
  if (!v.truthy()) {
    out += sub.whole();
    return false;
  }
  if (v.is_string())
    out += v.str();
  else if (v.is_number())
    out += number_to_string(v);
  else
    sub.in.lib_error(std::string("invalid replacement value (a ") + type_name(v) + ")");
  return true;
}

bool add_replacement(const Substitution& sub, const Value& repl, std::string& out) {
  Interp& in = sub.in;
  if (repl.is_function()) {
    Values args, results;
    push_captures(in, sub.m, sub.start, sub.end, true, args);
    in.call_from_native(repl, std::move(args), results, false);  // lua_call: not yieldable
    return add_replacement_value(sub, results.empty() ? Value() : results[0], out);
  }
  if (repl.is_table())
    return add_replacement_value(
        sub, in.index(repl, capture_or_raise(in, sub.m, 0, sub.start, sub.end)), out);
  add_replacement_string(sub, repl.is_string() ? repl.str() : number_to_string(repl), out);
  return true;
}

void str_gsub(Interp& in, CallArgs& a) {
  const std::string s = check_string(in, a, 0);
  const std::string p = check_string(in, a, 1);
  const Value& repl = a[2];
  const std::int64_t max_count = opt_integer(in, a, 3, static_cast<std::int64_t>(s.size()) + 1);
  if (!repl.is_number() && !repl.is_string() && !repl.is_function() && !repl.is_table())
    in.type_error_arg(3, "string/function/table", arg_missing(a, 2) ? nullptr : &repl);
  bool anchored;
  PatternMatcher m(s, without_anchor(p, anchored));
  count_matcher_steps(in, m);
  std::string out;
  std::size_t pos = 0;
  std::size_t last_end = PatternMatcher::npos;
  std::int64_t count = 0;
  bool changed = false;
  while (count < max_count) {
    const std::size_t end = match_or_raise(in, m, pos);
    if (end != PatternMatcher::npos && end != last_end) {
      ++count;
      changed = add_replacement(Substitution{in, m, pos, end, s}, repl, out) || changed;
      pos = last_end = end;
    } else if (pos < s.size()) {
      out += s[pos++];  // no match here: keep one character and try after it
    } else {
      break;
    }
    if (out.size() > kMaxResultSize) in.lib_error("not enough memory");
    if (anchored) break;
  }
  if (changed) {
    out.append(s, pos, std::string::npos);
    a.results.push_back(Value::string(out));
  } else {
    a.results.push_back(Value::string(s));
  }
  // Unchanged, Lua returns the subject, but its buffer holds what it kept, closed on return.
  in.close_buffer_box(out.size());
  a.results.push_back(Value::integer(count));
}

}  // namespace

void open_string_patterns(Interp& in, Table* string_table) {
  in.register_native(string_table, "find", str_find, "string.find");
  in.register_native(string_table, "match", str_match, "string.match");
  in.register_native(string_table, "gmatch", str_gmatch, "string.gmatch");
  in.register_native(string_table, "gsub", str_gsub, "string.gsub");
}

}  // namespace replay
