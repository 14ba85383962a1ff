// SPDX-License-Identifier: MIT
// The lexer: Lua 5.4's tokens, numerals, strings with escapes and long brackets, comments.
// Errors carry Lua's wording ("unfinished string near '"abc'").
#ifndef JMPCO_REPLAY_LEXER_HPP
#define JMPCO_REPLAY_LEXER_HPP

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace replay {

enum class Tok {
  Eof,
  Name,
  String,
  Int,
  Float,
  // keywords
  And,
  Break,
  Do,
  Else,
  Elseif,
  End,
  False,
  For,
  Function,
  Goto,
  If,
  In,
  Local,
  Nil,
  Not,
  Or,
  Repeat,
  Return,
  Then,
  True,
  Until,
  While,
  // multi-character symbols
  IDiv,
  Concat,
  Dots,
  Eq,
  Ge,
  Le,
  Ne,
  Shl,
  Shr,
  DbColon,
  // any single character stands for itself
  Char,
};

struct Token {
  Tok type = Tok::Eof;
  char ch = 0;       // for Tok::Char
  std::string text;  // name or string contents
  std::string raw;   // source text of a numeral (for messages)
  std::int64_t ival = 0;
  double fval = 0;
  int line = 1;
};

// A syntax error, already formatted as "CHUNK:LINE: message" (or a plain message).
struct SyntaxError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Lexer {
 public:
  // `chunkname` is the name messages show (chunk_id's or source_id's result).
  Lexer(std::string_view chunkname, std::string_view source);

  const Token& current() const { return cur_; }
  const Token& lookahead();
  void next();
  int line() const { return line_; }
  // The line of the last token consumed: Lua gives the code it emits after a construct this line.
  int last_line() const { return last_line_; }
  const std::string& chunkname() const { return chunkname_; }

  // "CHUNK:LINE: msg near 'token'" at the current token.
  [[noreturn]] void error_near(const std::string& msg) const;
  // "CHUNK:LINE: msg" (semantic errors have no "near" part).
  [[noreturn]] void error_plain(const std::string& msg, int line) const;
  std::string describe(const Token& t) const;
  static std::string token_name(Tok t, char ch = 0);

 private:
  Token scan();
  int peek(std::size_t ahead = 0) const;
  void advance();
  void newline();
  bool at_newline() const;
  void read_numeral(Token& t);
  void read_string(char delim, Token& t);
  void read_long(Token* t, std::size_t level, int start_line);
  int long_bracket_level();
  void read_escape(std::string& out, std::string& seen);
  [[noreturn]] void lex_error(const std::string& msg, const std::string& near_text) const;

  std::string chunkname_;
  std::string_view src_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int last_line_ = 1;
  Token cur_;
  Token ahead_;
  bool has_ahead_ = false;
};

// Lua's luaO_chunkid for a file name: long names keep their tail behind "...".
std::string chunk_id(std::string_view chunkname);
// luaO_chunkid for a chunk's source name as load takes it: "=NAME" is NAME, "@FILE" is a file
// name, anything else is source text shown as [string "..."] (first line, at most 45 bytes).
std::string source_id(std::string_view source);

}  // namespace replay

#endif  // JMPCO_REPLAY_LEXER_HPP
