// SPDX-License-Identifier: MIT
#include "lexer.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "value.hpp"

namespace replay {

namespace {

struct Keyword {
  const char* word;
  Tok tok;
};

constexpr Keyword kKeywords[] = {
    {"and", Tok::And},     {"break", Tok::Break},   {"do", Tok::Do},
    {"else", Tok::Else},   {"elseif", Tok::Elseif}, {"end", Tok::End},
    {"false", Tok::False}, {"for", Tok::For},       {"function", Tok::Function},
    {"goto", Tok::Goto},   {"if", Tok::If},         {"in", Tok::In},
    {"local", Tok::Local}, {"nil", Tok::Nil},       {"not", Tok::Not},
    {"or", Tok::Or},       {"repeat", Tok::Repeat}, {"return", Tok::Return},
    {"then", Tok::Then},   {"true", Tok::True},     {"until", Tok::Until},
    {"while", Tok::While},
};

bool is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_alnum(int c) { return is_alpha(c) || (c >= '0' && c <= '9'); }
bool is_digit(int c) { return c >= '0' && c <= '9'; }
bool is_xdigit(int c) { return std::isxdigit(c) != 0; }
bool is_space(int c) {
  return c == ' ' || c == '\f' || c == '\t' || c == '\v' || c == '\n' || c == '\r';
}

void append_utf8(std::string& out, unsigned long x) {
  // Lua's luaO_utf8esc: up to 6 bytes, for values below 2^31.
  if (x < 0x80) {
    out += static_cast<char>(x);
    return;
  }
  char buf[8];
  int n = 1;
  unsigned int mfb = 0x3f;
  do {
    buf[8 - (n++)] = static_cast<char>(0x80 | (x & 0x3f));
    x >>= 6;
    mfb >>= 1;
  } while (x > mfb);
  buf[8 - n] = static_cast<char>((~mfb << 1) | x);
  out.append(buf + 8 - n, static_cast<std::size_t>(n));
}

}  // namespace

constexpr std::size_t kIdSize = 60;  // LUA_IDSIZE, counting the terminating NUL

std::string chunk_id(std::string_view name) {
  if (name.size() + 1 <= kIdSize) return std::string(name);
  return "..." + std::string(name.substr(name.size() - (kIdSize - 4)));
}

std::string source_id(std::string_view source) {
  if (!source.empty() && source[0] == '@') return chunk_id(source.substr(1));
  if (!source.empty() && source[0] == '=') return std::string(source.substr(1, kIdSize - 1));
  constexpr std::size_t kRoom = kIdSize - (sizeof "[string \"" - 1) - 3 - 2 - 1;  // 45 bytes
  const std::size_t newline = source.find('\n');
  if (source.size() < kRoom && newline == std::string_view::npos)
    return "[string \"" + std::string(source) + "\"]";
  std::string_view shown = source.substr(0, std::min({newline, source.size(), kRoom}));
  return "[string \"" + std::string(shown) + "...\"]";
}

Lexer::Lexer(std::string_view chunkname, std::string_view source)
    : chunkname_(chunkname), src_(source) {}

int Lexer::peek(std::size_t ahead) const {
  std::size_t p = pos_ + ahead;
  return p < src_.size() ? static_cast<unsigned char>(src_[p]) : -1;
}

void Lexer::advance() { ++pos_; }

bool Lexer::at_newline() const { return peek() == '\n' || peek() == '\r'; }

// "\n", "\r", "\n\r" and "\r\n" each end one line.
void Lexer::newline() {
  int first = peek();
  advance();
  if (at_newline() && peek() != first) advance();
  ++line_;
}

std::string Lexer::token_name(Tok t, char ch) {
  switch (t) {
    case Tok::Eof:
      return "<eof>";
    case Tok::Name:
      return "<name>";
    case Tok::String:
      return "<string>";
    case Tok::Int:
      return "<integer>";
    case Tok::Float:
      return "<number>";
    case Tok::IDiv:
      return "'//'";
    case Tok::Concat:
      return "'..'";
    case Tok::Dots:
      return "'...'";
    case Tok::Eq:
      return "'=='";
    case Tok::Ge:
      return "'>='";
    case Tok::Le:
      return "'<='";
    case Tok::Ne:
      return "'~='";
    case Tok::Shl:
      return "'<<'";
    case Tok::Shr:
      return "'>>'";
    case Tok::DbColon:
      return "'::'";
    case Tok::Char: {
      unsigned char c = static_cast<unsigned char>(ch);
      if (std::isprint(c)) return std::string("'") + ch + "'";
      return "'<\\" + std::to_string(c) + ">'";
    }
    default:
      for (const Keyword& k : kKeywords)
        if (k.tok == t) return std::string("'") + k.word + "'";
      return "?";
  }
}

std::string Lexer::describe(const Token& t) const {
  switch (t.type) {
    case Tok::Name:
      return "'" + t.text + "'";
    case Tok::String:
    case Tok::Int:
    case Tok::Float:
      return "'" + t.raw + "'";
    default:
      return token_name(t.type, t.ch);
  }
}

void Lexer::error_near(const std::string& msg) const {
  throw SyntaxError(chunkname_ + ":" + std::to_string(line_) + ": " + msg + " near " +
                    describe(cur_));
}

void Lexer::error_plain(const std::string& msg, int line) const {
  throw SyntaxError(chunkname_ + ":" + std::to_string(line) + ": " + msg);
}

void Lexer::lex_error(const std::string& msg, const std::string& near_text) const {
  throw SyntaxError(chunkname_ + ":" + std::to_string(line_) + ": " + msg + " near " + near_text);
}

const Token& Lexer::lookahead() {
  if (!has_ahead_) {
    ahead_ = scan();
    has_ahead_ = true;
  }
  return ahead_;
}

void Lexer::next() {
  last_line_ = cur_.line;
  if (has_ahead_) {
    cur_ = std::move(ahead_);
    has_ahead_ = false;
  } else {
    cur_ = scan();
  }
}

// Returns the level of a long bracket at the current '[' or ']' (consumed with its '='s), or
// -1 - (number of '='s) when the bracket is not well formed.
int Lexer::long_bracket_level() {
  int delim = peek();
  advance();
  int count = 0;
  while (peek() == '=') {
    advance();
    ++count;
  }
  return peek() == delim ? count : (-count) - 1;
}

void Lexer::read_long(Token* t, std::size_t level, int start_line) {
  advance();                    // the second '['
  if (at_newline()) newline();  // a first newline is skipped
  std::string text;
  for (;;) {
    int c = peek();
    if (c < 0) {
      std::string what = t != nullptr ? "unfinished long string" : "unfinished long comment";
      lex_error(what + " (starting at line " + std::to_string(start_line) + ")", "<eof>");
    }
    if (c == ']') {
      std::size_t save = pos_;
      int lvl = long_bracket_level();
      if (lvl == static_cast<int>(level)) {
        advance();
        break;
      }
      text.append(src_.substr(save, pos_ - save));
      continue;
    }
    if (c == '\n' || c == '\r') {
      newline();
      text += '\n';
      continue;
    }
    text += static_cast<char>(c);
    advance();
  }
  if (t != nullptr) {
    t->type = Tok::String;
    // llex.c's buffer, which "near" quotes: the brackets too (the skipped first newline not)
    const std::string equals(level, '=');
    t->raw = "[" + equals + "[" + text + "]" + equals + "]";
    t->text = std::move(text);
  }
}

void Lexer::read_escape(std::string& out, std::string& seen) {
  advance();  // the backslash
  seen += '\\';
  int c = peek();
  auto fail = [&](const char* msg) {
    if (c >= 0) seen += static_cast<char>(c);
    lex_error(msg, "'" + seen + "'");
  };
  switch (c) {
    case 'a':
      out += '\a';
      break;
    case 'b':
      out += '\b';
      break;
    case 'f':
      out += '\f';
      break;
    case 'n':
      out += '\n';
      break;
    case 'r':
      out += '\r';
      break;
    case 't':
      out += '\t';
      break;
    case 'v':
      out += '\v';
      break;
    case '\\':
      out += '\\';
      break;
    case '"':
      out += '"';
      break;
    case '\'':
      out += '\'';
      break;
    case '\n':
    case '\r':
      newline();
      out += '\n';
      return;
    case 'x': {
      advance();
      seen += 'x';
      int value = 0;
      for (int i = 0; i < 2; ++i) {
        c = peek();
        if (!is_xdigit(c)) fail("hexadecimal digit expected");
        seen += static_cast<char>(c);
        value = value * 16 + (is_digit(c) ? c - '0' : (std::tolower(c) - 'a' + 10));
        advance();
      }
      out += static_cast<char>(value);
      return;
    }
    case 'z': {
      advance();
      while (is_space(peek())) {
        if (at_newline())
          newline();
        else
          advance();
      }
      return;
    }
    case 'u': {
      advance();
      seen += 'u';
      c = peek();
      if (c != '{') fail("missing '{' in \\u{xxxx}");
      advance();
      seen += '{';
      unsigned long value = 0;
      c = peek();
      if (!is_xdigit(c)) fail("hexadecimal digit expected");
      while (is_xdigit(c = peek())) {
        // Lua checks the room for one more digit before taking it.
        if (value > (0x7FFFFFFFul >> 4)) fail("UTF-8 value too large");
        seen += static_cast<char>(c);
        value = value * 16 +
                static_cast<unsigned long>(is_digit(c) ? c - '0' : (std::tolower(c) - 'a' + 10));
        advance();
      }
      if (c != '}') fail("missing '}' in \\u{xxxx}");
      advance();
      append_utf8(out, value);
      return;
    }
    default: {
      if (c < 0) return;  // the caller reports the unfinished string
      if (!is_digit(c)) fail("invalid escape sequence");
      int value = 0;
      for (int i = 0; i < 3 && is_digit(peek()); ++i) {
        c = peek();
        seen += static_cast<char>(c);
        value = value * 10 + (c - '0');
        advance();
      }
      if (value > 255) {
        c = peek();
        fail("decimal escape too large");
      }
      out += static_cast<char>(value);
      return;
    }
  }
  advance();
}

void Lexer::read_string(char delim, Token& t) {
  advance();
  std::string out;
  std::string seen(1, delim);  // what Lua's messages quote: the string read so far
  for (;;) {
    int c = peek();
    if (c < 0) lex_error("unfinished string", "<eof>");
    if (c == '\n' || c == '\r') lex_error("unfinished string", "'" + seen + "'");
    if (c == delim) {
      advance();
      break;
    }
    if (c == '\\') {
      std::size_t before = out.size();
      read_escape(out, seen);
      if (peek() < 0 && out.size() == before) lex_error("unfinished string", "<eof>");
      seen.assign(1, delim);
      seen += out;
      continue;
    }
    out += static_cast<char>(c);
    seen += static_cast<char>(c);
    advance();
  }
  t.type = Tok::String;
  t.raw = seen + delim;
  t.text = std::move(out);
}

void Lexer::read_numeral(Token& t) {
  std::size_t start = pos_;
  const char* exponent = "Ee";
  if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
    advance();
    advance();
    exponent = "Pp";
  }
  for (;;) {
    int c = peek();
    if (c > 0 && std::strchr(exponent, c) != nullptr) {
      advance();
      if (peek() == '+' || peek() == '-') advance();
    } else if (is_xdigit(c) || c == '.') {
      advance();
    } else {
      break;
    }
  }
  if (is_alpha(peek())) advance();  // a numeral touching a letter is malformed
  t.raw = std::string(src_.substr(start, pos_ - start));
  Value v;
  if (!string_to_number(t.raw, v)) lex_error("malformed number", "'" + t.raw + "'");
  if (v.is_int()) {
    t.type = Tok::Int;
    t.ival = v.as_int();
  } else {
    t.type = Tok::Float;
    t.fval = v.as_float();
  }
}

Token Lexer::scan() {
  Token t;
  for (;;) {
    int c = peek();
    t.line = line_;
    switch (c) {
      case -1:
        t.type = Tok::Eof;
        return t;
      case '\n':
      case '\r':
        newline();
        continue;
      case ' ':
      case '\f':
      case '\t':
      case '\v':
        advance();
        continue;
      case '-': {
        if (peek(1) != '-') break;
        advance();
        advance();
        if (peek() == '[') {
          std::size_t save = pos_;
          int start_line = line_;
          int level = long_bracket_level();
          if (level >= 0) {
            read_long(nullptr, static_cast<std::size_t>(level), start_line);
            continue;
          }
          pos_ = save;
        }
        while (peek() >= 0 && !at_newline()) advance();
        continue;
      }
      case '[': {
        std::size_t save = pos_;
        int start_line = line_;
        int level = long_bracket_level();
        if (level >= 0) {
          read_long(&t, static_cast<std::size_t>(level), start_line);
          t.line = line_;
          return t;
        }
        if (level != -1) lex_error("invalid long string delimiter", "'[='");
        pos_ = save;
        break;
      }
      case '"':
      case '\'':
        read_string(static_cast<char>(c), t);
        t.line = line_;
        return t;
      default:
        break;
    }
    // Operators, names and numerals.
    auto two = [&](char second, Tok tok) {
      if (peek(1) == second) {
        advance();
        advance();
        t.type = tok;
        return true;
      }
      return false;
    };
    switch (c) {
      case '=':
        if (two('=', Tok::Eq)) return t;
        break;
      case '<':
        if (two('=', Tok::Le) || two('<', Tok::Shl)) return t;
        break;
      case '>':
        if (two('=', Tok::Ge) || two('>', Tok::Shr)) return t;
        break;
      case '/':
        if (two('/', Tok::IDiv)) return t;
        break;
      case '~':
        if (two('=', Tok::Ne)) return t;
        break;
      case ':':
        if (two(':', Tok::DbColon)) return t;
        break;
      case '.':
        if (peek(1) == '.') {
          advance();
          advance();
          if (peek() == '.') {
            advance();
            t.type = Tok::Dots;
          } else {
            t.type = Tok::Concat;
          }
          return t;
        }
        if (is_digit(peek(1))) {
          read_numeral(t);
          return t;
        }
        break;
      default:
        break;
    }
    if (is_digit(c)) {
      read_numeral(t);
      return t;
    }
    if (is_alpha(c)) {
      std::size_t start = pos_;
      while (is_alnum(peek())) advance();
      t.text = std::string(src_.substr(start, pos_ - start));
      t.type = Tok::Name;
      for (const Keyword& k : kKeywords) {
        if (t.text == k.word) {
          t.type = k.tok;
          break;
        }
      }
      return t;
    }
    advance();
    t.type = Tok::Char;
    t.ch = static_cast<char>(c);
    return t;
  }
}

}  // namespace replay
