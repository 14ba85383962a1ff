// SPDX-License-Identifier: MIT
// Lua 5.4 patterns (the matcher behind string.find, match, gmatch and gsub), with Lua's limits and
// error messages. It knows nothing of the interpreter: errors are thrown as PatternError, and the
// caller turns them into Lua errors at its own position.
#ifndef JMPCO_REPLAY_LUA_PATTERN_HPP
#define JMPCO_REPLAY_LUA_PATTERN_HPP

#include <cstddef>
#include <string>
#include <string_view>

namespace replay {

// A malformed pattern, or a capture used wrongly; `message` is lua5.4's text without position.
struct PatternError {
  std::string message;
};

// LUA_MAXCAPTURES: captures in one pattern ("too many captures").
constexpr int kMaxPatternCaptures = 32;
// MAXCCALLS of lstrlib.c: how deep the matcher may recurse ("pattern too complex").
constexpr int kMaxMatchDepth = 200;
// Nesting that the matcher refuses even where Lua's budget no longer stops it (a gmatch iterator
// whose budget an error took below zero): lua5.4 would overflow its C stack there.
constexpr int kMatchNestingGuard = 10000;
// Matcher steps (entries of its recursive step) per call of the step hook.
constexpr unsigned kMatchStepsPerHook = 16;

// One capture of a successful match: a piece of the subject, or a position (from `()`).
struct CaptureValue {
  bool is_position = false;
  std::size_t position = 0;  // 1-based, when is_position
  std::string_view text;
};

// Matches one pattern against one subject; reusable for successive attempts (gmatch, gsub). The
// pattern is what follows a leading '^' when the caller treats it as an anchor.
class PatternMatcher {
 public:
  static constexpr std::size_t npos = std::string_view::npos;

  // `depth_budget`: the recursion left (a gmatch iterator carries over what an error left).
  PatternMatcher(std::string_view subject, std::string_view pattern,
                 int depth_budget = kMaxMatchDepth)
      : subject_(subject), pattern_(pattern), depth_left_(depth_budget) {}

  // Tries to match at subject offset `start` (at most the subject's size). Returns the offset
  // just past the match, or npos. Throws PatternError.
  std::size_t match_at(std::size_t start);

  // Captures of the last successful match.
  int capture_count() const { return level_; }
  // Lua's get_onecapture: capture `i` (0-based); without captures, index 0 is the whole match
  // [start, end). Throws "invalid capture index %N" or "unfinished capture".
  CaptureValue capture(int i, std::size_t start, std::size_t end) const;

  // The recursion budget left: back where it was after a match_at that returned, short by the
  // failed match's depth after one that threw (Lua does not restore it either).
  int depth_left() const { return depth_left_; }

  // Calls `hook(context)` once every kMatchStepsPerHook steps of the matcher, so that a caller
  // can bound the time a backtracking pattern takes (it may throw to stop the match).
  void set_step_hook(void (*hook)(void*), void* context) {
    step_hook_ = hook;
    step_context_ = context;
  }

  // Whether `pattern` has none of the characters that make it a pattern (find searches plainly).
  static bool is_plain(std::string_view pattern);

 private:
  static constexpr std::ptrdiff_t kUnfinished = -1;
  static constexpr std::ptrdiff_t kPosition = -2;
  struct Capture {
    std::size_t start = 0;
    std::ptrdiff_t length = kUnfinished;  // or kPosition
  };

  // The byte at a subject or pattern offset; past the end reads '\0' as C strings do.
  unsigned char subject_at(std::size_t i) const;
  unsigned char pattern_at(std::size_t i) const;

  std::size_t match(std::size_t s, std::size_t p);
  std::size_t match_item(std::size_t s, std::size_t& p, bool& again);
  std::size_t match_escape(std::size_t s, std::size_t& p, bool& again);
  std::size_t match_repeated(std::size_t s, std::size_t& p, bool& again);
  std::size_t greedy_repeat(std::size_t s, std::size_t item, std::size_t item_end);
  std::size_t lazy_repeat(std::size_t s, std::size_t item, std::size_t item_end);
  std::size_t open_capture(std::size_t s, std::size_t p, std::ptrdiff_t what);
  std::size_t close_capture(std::size_t s, std::size_t p);
  std::size_t back_reference(std::size_t s, int digit);
  std::size_t balanced(std::size_t s, std::size_t p);
  bool frontier(std::size_t s, std::size_t set, std::size_t set_end) const;

  // The offset just past the single-character class at `p` (Lua's classend).
  std::size_t item_end(std::size_t p) const;
  bool item_matches(std::size_t s, std::size_t p, std::size_t end) const;
  bool set_matches(unsigned char c, std::size_t set, std::size_t close) const;
  int innermost_open_capture() const;

  std::string_view subject_;
  std::string_view pattern_;
  int depth_left_;
  int nesting_ = 0;  // active match() frames, against kMatchNestingGuard
  void (*step_hook_)(void*) = nullptr;
  void* step_context_ = nullptr;
  unsigned steps_ = 0;
  int level_ = 0;
  Capture captures_[kMaxPatternCaptures];
};

// Whether character `c` is in class `cl` (the letter after '%': a c d g l p s u w x, upper case
// for the complement; any other character stands for itself). C-locale classes.
bool pattern_class_matches(unsigned char c, unsigned char cl);

}  // namespace replay

#endif  // JMPCO_REPLAY_LUA_PATTERN_HPP
