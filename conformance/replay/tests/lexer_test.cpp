// SPDX-License-Identifier: MIT
// Lexer: tokens, numerals, escapes, long brackets, and Lua's wording for malformed input.
// Expected values come from running the same text through lua5.4 (5.4.4).
#include "lexer.hpp"

#include <gtest/gtest.h>

#include "run_helper.hpp"

using replay::Lexer;
using replay::Tok;
using replay_test::output_of;
using replay_test::run_lua;

namespace {

std::vector<Tok> token_types(const std::string& src) {
  Lexer lex("t.lua", src);
  std::vector<Tok> types;
  for (lex.next(); lex.current().type != Tok::Eof; lex.next()) types.push_back(lex.current().type);
  return types;
}

TEST(Lexer, OperatorsAndKeywords) {
  EXPECT_EQ(
      token_types("a // b .. c ... ~= <= >= == << >> ::"),
      (std::vector<Tok>{Tok::Name, Tok::IDiv, Tok::Name, Tok::Concat, Tok::Name, Tok::Dots, Tok::Ne,
                        Tok::Le, Tok::Ge, Tok::Eq, Tok::Shl, Tok::Shr, Tok::DbColon}));
  EXPECT_EQ(token_types("local function end"),
            (std::vector<Tok>{Tok::Local, Tok::Function, Tok::End}));
}

TEST(Lexer, NumeralsKeepIntegerAndFloatApart) {
  Lexer lex("t.lua", "3 3.0 0x10 1e2 0x1p4 9223372036854775808 0xffffffffffffffff");
  lex.next();
  EXPECT_EQ(lex.current().type, Tok::Int);
  lex.next();
  EXPECT_EQ(lex.current().type, Tok::Float);
  lex.next();
  EXPECT_EQ(lex.current().ival, 16);
  lex.next();
  EXPECT_EQ(lex.current().type, Tok::Float);
  lex.next();
  EXPECT_EQ(lex.current().fval, 16.0);
  lex.next();  // decimal overflow becomes a float
  EXPECT_EQ(lex.current().type, Tok::Float);
  lex.next();  // hexadecimal wraps around
  EXPECT_EQ(lex.current().type, Tok::Int);
  EXPECT_EQ(lex.current().ival, -1);
}

TEST(Lexer, StringEscapes) {
  // lua5.4: print("\65\066\x43\u{48}\u{20AC}", "a\z   b", #"\0\1")
  EXPECT_EQ(output_of("print(\"\\65\\066\\x43\\u{48}\\u{20AC}\", \"a\\z   b\", #\"\\0\\1\")"),
            "ABCH\xE2\x82\xAC\tab\t2\n");
}

TEST(Lexer, LongBracketsSkipFirstNewline) {
  EXPECT_EQ(output_of("print([[\nx]], [==[a]]b]==])"), "x\ta]]b\n");
}

TEST(Lexer, CommentsAreSkipped) {
  EXPECT_EQ(output_of("--[==[ long\ncomment ]==] print(1) -- line\nprint(2)"), "1\n2\n");
}

TEST(Lexer, LongStringsAreQuotedWithTheirBrackets) {
  EXPECT_EQ(run_lua("x = 1 [==[\nlong]==]").err,
            "jmpco-replay: t.lua:2: unexpected symbol near '[==[long]==]'\n");
  EXPECT_EQ(run_lua("return [[a]] [[b]]").err,
            "jmpco-replay: t.lua:1: <eof> expected near '[[b]]'\n");
}

TEST(Lexer, ErrorsUseLuasWording) {
  EXPECT_EQ(run_lua("x = \"abc").err, "jmpco-replay: t.lua:1: unfinished string near <eof>\n");
  EXPECT_EQ(run_lua("x = \"abc\n").err, "jmpco-replay: t.lua:1: unfinished string near '\"abc'\n");
  EXPECT_EQ(run_lua("x = 3x").err, "jmpco-replay: t.lua:1: malformed number near '3x'\n");
  EXPECT_EQ(run_lua("x = 'a\\q'").err,
            "jmpco-replay: t.lua:1: invalid escape sequence near ''a\\q'\n");
  EXPECT_EQ(run_lua("x = \"\\300\"").err,
            "jmpco-replay: t.lua:1: decimal escape too large near '\"\\300\"'\n");
  EXPECT_EQ(run_lua("x = [==[ abc").err,
            "jmpco-replay: t.lua:1: unfinished long string (starting at line 1) near <eof>\n");
  EXPECT_EQ(run_lua("x = @").err, "jmpco-replay: t.lua:1: unexpected symbol near '@'\n");
  EXPECT_EQ(run_lua("x = \"\\u{110000000}\"").err,
            "jmpco-replay: t.lua:1: UTF-8 value too large near '\"\\u{110000000'\n");
}

TEST(Lexer, LongChunkNamesKeepTheirTail) {
  // luaO_chunkid: names longer than 59 characters become "..." and their last 56.
  EXPECT_EQ(replay::chunk_id(std::string(59, 'a')), std::string(59, 'a'));
  EXPECT_EQ(replay::chunk_id(std::string(30, 'a') + std::string(30, 'b')),
            "..." + std::string(26, 'a') + std::string(30, 'b'));
}

TEST(Lexer, SourceIdsOfLoadedChunks) {
  // luaO_chunkid for load's names: "=" as is (59 bytes at most), "@" a file name, else the text.
  EXPECT_EQ(replay::source_id("=name"), "name");
  EXPECT_EQ(replay::source_id("=" + std::string(70, 'n')), std::string(59, 'n'));
  EXPECT_EQ(replay::source_id("@f.lua"), "f.lua");
  EXPECT_EQ(replay::source_id("x = 1"), "[string \"x = 1\"]");
  EXPECT_EQ(replay::source_id("a\nb"), "[string \"a...\"]");
  EXPECT_EQ(replay::source_id(std::string(44, 's')), "[string \"" + std::string(44, 's') + "\"]");
  EXPECT_EQ(replay::source_id(std::string(45, 's')),
            "[string \"" + std::string(45, 's') + "...\"]");
}

}  // namespace
