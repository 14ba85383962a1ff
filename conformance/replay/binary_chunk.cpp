// SPDX-License-Identifier: MIT
// string.dump's chunks and their loading (see binary_chunk.hpp for the format).
#include "binary_chunk.hpp"

#include <atomic>
#include <cassert>
#include <chrono>
#include <cstdint>

namespace replay {

namespace {

// Lua 5.4's header up to LUAC_DATA, then ours.
constexpr char kLuaHeader[] = "\x1bLua\x54\x00\x19\x93\r\n\x1a\n";
constexpr std::size_t kLuaHeaderSize = sizeof kLuaHeader - 1;
constexpr char kMarker[] = "jmpco-replay";  // with its terminating zero
constexpr std::size_t kMarkerSize = sizeof kMarker;

void put_le(std::string& out, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

// A token no other interpreter of this process (nor, most likely, of another) uses.
std::uint64_t new_run_token() {
  static std::atomic<std::uint64_t> runs{0};
  const auto now =
      static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  return (now * 0x9e3779b97f4a7c15ull) ^ (++runs << 1) ^ 1u;  // never 0
}

std::uint32_t proto_number(Interp::LibraryState& state, const Proto* p) {
  for (std::size_t i = 0; i < state.dumped_protos.size(); ++i)
    if (state.dumped_protos[i] == p) return static_cast<std::uint32_t>(i);
  state.dumped_protos.push_back(p);
  return static_cast<std::uint32_t>(state.dumped_protos.size() - 1);
}

// Reads a chunk piece by piece as lundump.c does: a piece the text is too short for is a
// truncated chunk, one that differs is the reason given.
class ChunkReader {
 public:
  explicit ChunkReader(const std::string& text) : text_(text) {}
  bool literal(const char* bytes, std::size_t n, const char* why) {
    if (!take(n)) return false;
    if (text_.compare(pos_ - n, n, bytes, n) == 0) return true;
    why_ = why;
    return false;
  }
  bool number(int bytes, std::uint64_t& v) {
    if (!take(static_cast<std::size_t>(bytes))) return false;
    v = 0;
    for (int i = bytes - 1; i >= 0; --i)
      v = (v << 8) |
          static_cast<unsigned char>(
              text_[pos_ - static_cast<std::size_t>(bytes) + static_cast<std::size_t>(i)]);
    return true;
  }
  void fail(const char* why) { why_ = why; }
  const char* why() const { return why_; }

 private:
  bool take(std::size_t n) {
    if (text_.size() - pos_ < n) {
      why_ = "truncated chunk";
      return false;
    }
    pos_ += n;
    return true;
  }
  const std::string& text_;
  std::size_t pos_ = 0;
  const char* why_ = "";
};

// lundump.c's checkHeader, then our part. Returns the prototype, or null with the reason set.
const Proto* read_chunk(Interp::LibraryState& state, ChunkReader& r, bool& strip) {
  std::uint64_t token = 0, number = 0, strip_flag = 0;
  if (!r.literal(kLuaHeader, 1, "not a binary chunk") ||
      !r.literal(kLuaHeader + 1, 3, "not a binary chunk") ||
      !r.literal(kLuaHeader + 4, 1, "version mismatch") ||
      !r.literal(kLuaHeader + 5, 1, "format mismatch") ||
      !r.literal(kLuaHeader + 6, kLuaHeaderSize - 6, "corrupted chunk") ||
      !r.literal(kMarker, kMarkerSize, "not a jmpco-replay chunk") || !r.number(8, token))
    return nullptr;
  if (state.dump_token == 0 || token != state.dump_token) {
    r.fail("dumped by another run");
    return nullptr;
  }
  if (!r.number(4, number) || !r.number(1, strip_flag)) return nullptr;
  if (number >= state.dumped_protos.size() || strip_flag > 1) {
    r.fail("corrupted chunk");
    return nullptr;
  }
  strip = strip_flag == 1;
  return state.dumped_protos[number];
}

// lundump.c's name for the chunk in its messages.
std::string undump_name(const std::string& chunkname) {
  if (!chunkname.empty() && (chunkname[0] == '@' || chunkname[0] == '='))
    return chunkname.substr(1);
  if (!chunkname.empty() && chunkname[0] == kLuaHeader[0]) return "binary string";
  return chunkname;
}

// A closure of `p` with fresh upvalues, as lua_load makes it: the first upvalue is `env`.
Value new_loaded_function(const Proto* p, bool strip, Value env) {
  auto* f = new Function();
  Value fv = Value::object(f);
  f->proto = p;
  f->stripped = strip;
  for (std::size_t i = 0; i < p->upvalues.size(); ++i)
    f->upvalues.push_back(Value::object(new Cell()));
  if (!f->upvalues.empty()) f->upvalues[0].cell()->value = std::move(env);
  // Globals are read through the upvalue that leads to the chunk's _ENV, wherever Lua put it.
  f->env = Value::object(new Cell());
  for (std::size_t i = 0; i < p->upvalues.size(); ++i) {
    if (p->upvalues[i].chunk_env) {
      f->env = f->upvalues[i];
      break;
    }
  }
  return fv;
}

}  // namespace

std::string dump_function(Interp& in, const Function& fn, bool strip) {
  assert(fn.is_lua());
  auto& state = in.library_state();
  if (state.dump_token == 0) state.dump_token = new_run_token();
  std::string out(kLuaHeader, kLuaHeaderSize);
  out.append(kMarker, kMarkerSize);
  put_le(out, state.dump_token, 8);
  put_le(out, proto_number(state, fn.proto), 4);
  put_le(out, strip || fn.stripped ? 1 : 0, 1);  // what a stripped dump lost stays lost
  return out;
}

Value undump(Interp& in, const std::string& text, const std::string& chunkname, Value env,
             std::string& error) {
  ChunkReader reader(text);
  bool strip = false;
  const Proto* p = read_chunk(in.library_state(), reader, strip);
  if (p == nullptr) {
    error = undump_name(chunkname) + ": bad binary format (" + reader.why() + ")";
    return Value();
  }
  return new_loaded_function(p, strip, std::move(env));
}

}  // namespace replay
