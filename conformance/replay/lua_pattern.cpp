// SPDX-License-Identifier: MIT
// Lua 5.4 pattern matching. A backtracking matcher: each pattern item either continues the match
// in place (the loop in match()) or recurses for the rest of the pattern (captures, '?', and each
// try of a repetition). Only the recursive steps count against kMaxMatchDepth, as in lstrlib.c,
// so "pattern too complex" comes at the same patterns.
#include "lua_pattern.hpp"

#include <cassert>
#include <cstring>

namespace replay {

namespace {

constexpr char kEscape = '%';

bool is_lower(unsigned c) { return c >= 'a' && c <= 'z'; }
bool is_upper(unsigned c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(unsigned c) { return c >= '0' && c <= '9'; }
bool is_alpha(unsigned c) { return is_lower(c) || is_upper(c); }
bool is_alnum(unsigned c) { return is_alpha(c) || is_digit(c); }
bool is_graph(unsigned c) { return c > ' ' && c < 127; }
bool is_space(unsigned c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool is_xdigit(unsigned c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
unsigned to_lower(unsigned c) { return is_upper(c) ? c - 'A' + 'a' : c; }
bool is_cntrl(unsigned c) { return c < ' ' || c == 127; }
bool is_punct(unsigned c) { return is_graph(c) && !is_alnum(c); }
bool is_zero(unsigned c) { return c == 0; }  // %z: deprecated in Lua, still accepted

// The classes of the C locale, by their letter after '%'.
struct CharClass {
  unsigned letter;
  bool (*contains)(unsigned);
};
constexpr CharClass kClasses[] = {{'a', is_alpha},  {'c', is_cntrl}, {'d', is_digit},
                                  {'g', is_graph},  {'l', is_lower}, {'p', is_punct},
                                  {'s', is_space},  {'u', is_upper}, {'w', is_alnum},
                                  {'x', is_xdigit}, {'z', is_zero}};

[[noreturn]] void fail(std::string message) { throw PatternError{std::move(message)}; }

}  // namespace

bool pattern_class_matches(unsigned char c, unsigned char cl) {
  const unsigned letter = to_lower(cl);
  for (const CharClass& k : kClasses)
    if (k.letter == letter) return is_lower(cl) ? k.contains(c) : !k.contains(c);  // %A: not %a
  return cl == c;  // an escaped character that names no class stands for itself
}

bool PatternMatcher::is_plain(std::string_view pattern) {
  return pattern.find_first_of("^$*+?.([%-") == std::string_view::npos;
}

unsigned char PatternMatcher::subject_at(std::size_t i) const {
  return i < subject_.size() ? static_cast<unsigned char>(subject_[i]) : 0;
}

unsigned char PatternMatcher::pattern_at(std::size_t i) const {
  return i < pattern_.size() ? static_cast<unsigned char>(pattern_[i]) : 0;
}

std::size_t PatternMatcher::match_at(std::size_t start) {
  assert(start <= subject_.size());
  level_ = 0;
  nesting_ = 0;
  return match(start, 0);
}

CaptureValue PatternMatcher::capture(int i, std::size_t start, std::size_t end) const {
  CaptureValue v;
  if (i >= level_) {
    if (i != 0) fail("invalid capture index %" + std::to_string(i + 1));
    v.text = subject_.substr(start, end - start);  // no captures: the whole match
    return v;
  }
  const Capture& c = captures_[i];
  if (c.length == kUnfinished) fail("unfinished capture");
  if (c.length == kPosition) {
    v.is_position = true;
    v.position = c.start + 1;
  } else {
    v.text = subject_.substr(c.start, static_cast<std::size_t>(c.length));
  }
  return v;
}

// Matches pattern[p..] at subject[s..]; returns the end of the match or npos.
std::size_t PatternMatcher::match(std::size_t s, std::size_t p) {
  if (depth_left_-- == 0 || nesting_ == kMatchNestingGuard) fail("pattern too complex");
  ++nesting_;
  if (step_hook_ != nullptr && ++steps_ % kMatchStepsPerHook == 0) step_hook_(step_context_);
  bool again = true;
  while (again && p < pattern_.size()) {
    again = false;  // set by an item that matched and lets the rest run in this frame
    s = match_item(s, p, again);
  }
  ++depth_left_;
  --nesting_;
  return s;
}

// One pattern item at `p`. Either finishes the match (returns its result) or advances `p` and
// sets `again` to go on from the returned subject offset.
std::size_t PatternMatcher::match_item(std::size_t s, std::size_t& p, bool& again) {
  switch (pattern_at(p)) {
    case '(':
      if (pattern_at(p + 1) == ')') return open_capture(s, p + 2, kPosition);
      return open_capture(s, p + 1, kUnfinished);
    case ')':
      return close_capture(s, p + 1);
    case '$':
      if (p + 1 == pattern_.size()) return s == subject_.size() ? s : npos;
      break;  // not at the end: a literal '$'
    case kEscape: {
      const unsigned char next = pattern_at(p + 1);
      if (next == 'b' || next == 'f' || is_digit(next)) return match_escape(s, p, again);
      break;
    }
    default:
      break;
  }
  return match_repeated(s, p, again);
}

// %bxy, %f[set] and back-references %0-%9.
std::size_t PatternMatcher::match_escape(std::size_t s, std::size_t& p, bool& again) {
  const unsigned char kind = pattern_at(p + 1);
  std::size_t next_item;
  if (kind == 'b') {
    s = balanced(s, p + 2);
    next_item = p + 4;
  } else if (kind == 'f') {
    const std::size_t set = p + 2;
    if (pattern_at(set) != '[') fail("missing '[' after '%f' in pattern");
    next_item = item_end(set);
    if (!frontier(s, set, next_item - 1)) s = npos;
  } else {
    s = back_reference(s, kind);
    next_item = p + 2;
  }
  if (s != npos) {
    p = next_item;
    again = true;
  }
  return s;
}

// A single-character class with an optional '*', '+', '-' or '?'.
std::size_t PatternMatcher::match_repeated(std::size_t s, std::size_t& p, bool& again) {
  const std::size_t end = item_end(p);
  const unsigned char suffix = pattern_at(end);
  if (!item_matches(s, p, end)) {
    if (suffix != '*' && suffix != '?' && suffix != '-') return npos;
    p = end + 1;  // zero repetitions are allowed
    again = true;
    return s;
  }
  switch (suffix) {
    case '?': {
      const std::size_t with_one = match(s + 1, end + 1);
      if (with_one != npos) return with_one;
      p = end + 1;
      again = true;
      return s;
    }
    case '+':
      return greedy_repeat(s + 1, p, end);
    case '*':
      return greedy_repeat(s, p, end);
    case '-':
      return lazy_repeat(s, p, end);
    default:
      p = end;
      again = true;
      return s + 1;
  }
}

// As many repetitions as match, then fewer until the rest of the pattern matches.
std::size_t PatternMatcher::greedy_repeat(std::size_t s, std::size_t item, std::size_t end) {
  std::size_t count = 0;
  while (item_matches(s + count, item, end)) ++count;
  for (;;) {
    const std::size_t result = match(s + count, end + 1);
    if (result != npos) return result;
    if (count == 0) return npos;
    --count;
  }
}

// As few repetitions as let the rest of the pattern match.
std::size_t PatternMatcher::lazy_repeat(std::size_t s, std::size_t item, std::size_t end) {
  for (;;) {
    const std::size_t result = match(s, end + 1);
    if (result != npos) return result;
    if (!item_matches(s, item, end)) return npos;
    ++s;
  }
}

std::size_t PatternMatcher::open_capture(std::size_t s, std::size_t p, std::ptrdiff_t what) {
  if (level_ >= kMaxPatternCaptures) fail("too many captures");
  captures_[level_] = Capture{s, what};
  ++level_;
  const std::size_t result = match(s, p);
  if (result == npos) --level_;  // the capture is undone with the failed attempt
  return result;
}

std::size_t PatternMatcher::close_capture(std::size_t s, std::size_t p) {
  const int l = innermost_open_capture();
  captures_[l].length = static_cast<std::ptrdiff_t>(s - captures_[l].start);
  const std::size_t result = match(s, p);
  if (result == npos) captures_[l].length = kUnfinished;
  return result;
}

int PatternMatcher::innermost_open_capture() const {
  for (int l = level_ - 1; l >= 0; --l)
    if (captures_[l].length == kUnfinished) return l;
  fail("invalid pattern capture");
}

std::size_t PatternMatcher::back_reference(std::size_t s, int digit) {
  const int l = digit - '1';
  if (l < 0 || l >= level_ || captures_[l].length == kUnfinished)
    fail("invalid capture index %" + std::to_string(l + 1));
  const Capture& c = captures_[l];
  if (c.length == kPosition) return npos;  // Lua compares a huge length: never matches
  const auto length = static_cast<std::size_t>(c.length);
  if (subject_.size() - s < length) return npos;
  if (subject_.compare(s, length, subject_, c.start, length) != 0) return npos;
  return s + length;
}

// %bxy at subject[s]: x, then text in which x and y balance, then y.
std::size_t PatternMatcher::balanced(std::size_t s, std::size_t p) {
  if (p + 1 >= pattern_.size()) fail("malformed pattern (missing arguments to '%b')");
  const unsigned char open = pattern_at(p);
  const unsigned char close = pattern_at(p + 1);
  if (subject_at(s) != open) return npos;
  int depth = 1;
  while (++s < subject_.size()) {
    const unsigned char c = subject_at(s);
    if (c == close) {
      if (--depth == 0) return s + 1;
    } else if (c == open) {
      ++depth;
    }
  }
  return npos;
}

// %f[set]: the character before `s` ('\0' at the start) is not in the set, the one at `s` ('\0'
// at the end) is.
bool PatternMatcher::frontier(std::size_t s, std::size_t set, std::size_t close) const {
  const unsigned char previous = s == 0 ? 0 : subject_at(s - 1);
  return !set_matches(previous, set, close) && set_matches(subject_at(s), set, close);
}

std::size_t PatternMatcher::item_end(std::size_t p) const {
  const unsigned char first = pattern_at(p++);
  if (first == kEscape) {
    if (p >= pattern_.size()) fail("malformed pattern (ends with '%')");
    return p + 1;
  }
  if (first != '[') return p;
  if (pattern_at(p) == '^') ++p;
  do {  // the first character of a set is never its end: "[]]" is a set of ']'
    if (p >= pattern_.size()) fail("malformed pattern (missing ']')");
    const unsigned char c = pattern_at(p++);
    if (c == kEscape && p < pattern_.size()) ++p;  // "%]" does not end the set
  } while (pattern_at(p) != ']');
  return p + 1;
}

bool PatternMatcher::item_matches(std::size_t s, std::size_t p, std::size_t end) const {
  if (s >= subject_.size()) return false;
  const unsigned char c = subject_at(s);
  switch (pattern_at(p)) {
    case '.':
      return true;
    case kEscape:
      return pattern_class_matches(c, pattern_at(p + 1));
    case '[':
      return set_matches(c, p, end - 1);
    default:
      return pattern_at(p) == c;
  }
}

// The set between `set` ('[') and `close` (its ']').
bool PatternMatcher::set_matches(unsigned char c, std::size_t set, std::size_t close) const {
  bool wanted = true;
  std::size_t p = set;
  if (pattern_at(p + 1) == '^') {
    wanted = false;
    ++p;
  }
  while (++p < close) {
    const unsigned char here = pattern_at(p);
    if (here == kEscape) {
      ++p;
      if (pattern_class_matches(c, pattern_at(p))) return wanted;
    } else if (pattern_at(p + 1) == '-' && p + 2 < close) {
      p += 2;
      if (here <= c && c <= pattern_at(p)) return wanted;
    } else if (here == c) {
      return wanted;
    }
  }
  return !wanted;
}

}  // namespace replay
