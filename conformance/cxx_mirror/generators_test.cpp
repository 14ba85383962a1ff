// SPDX-License-Identifier: MIT
// Mirrors of the gen_*, prodcons_* and misc_* scenarios: generators (jmpco::generator<T>, or a
// wrap returning std::optional when the scenario calls it by hand), pipelines of coroutines,
// schedulers and trampolines. Recursive generators yield from any depth, with the yielder passed
// down or with this_coroutine::try_yield.
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "mirror.hpp"

namespace {

using namespace mirror;
using log_t = std::vector<std::string>;

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string s;
  for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? sep : "") + parts[i];
  return s;
}
std::string join(const std::vector<int>& parts, const std::string& sep) {
  std::vector<std::string> s;
  for (int p : parts) s.push_back(fmt(p));
  return join(s, sep);
}

// ---- gen_* ---------------------------------------------------------------------------------

void pick(jmpco::yielder<std::string()>& y, const std::vector<int>& items, int k, std::vector<int>& chosen,
          std::size_t start, int depth) {
  if (depth > k) {
    y.yield(join(chosen, ""));
    return;
  }
  for (std::size_t i = start; i < items.size(); ++i) {
    chosen[depth - 1] = items[i];
    pick(y, items, k, chosen, i + 1, depth + 1);
  }
}

TEST(Mirror, gen_combinations) {  // mirrors conformance/scenarios/gen_combinations.lua
  auto comb = [](std::vector<int> items, int k) {
    return jmpco::generator<std::string>([items, k](jmpco::yielder<std::string()>& y) {
      std::vector<int> chosen(static_cast<std::size_t>(k));
      pick(y, items, k, chosen, 0, 1);
    });
  };
  log_t lines;
  int n = 0;
  for (const std::string& c : comb({1, 2, 3, 4, 5}, 3)) lines.push_back(fmt(++n) + " " + c);
  EXPECT_EQ(lines, (log_t{"1 123", "2 124", "3 125", "4 134", "5 135", "6 145", "7 234", "8 235", "9 245", "10 345"}));
}

// Breaking out of the range-for leaves the generator suspended; the next step gives 4.
TEST(Mirror, gen_early_break) {  // mirrors conformance/scenarios/gen_early_break.lua
  core* th = nullptr;
  jmpco::generator<int> gen([&](jmpco::yielder<int()>& y) {
    th = jmpco::this_coroutine::running();
    for (int i = 1; i <= 10; ++i) y.yield(i);
  });
  log_t lines;
  auto it = gen.begin();
  for (; it != gen.end(); ++it) {
    lines.push_back("got " + fmt(*it));
    if (*it == 3) break;
  }
  EXPECT_EQ(th->status(), status::suspended);
  EXPECT_EQ(gen.status(), status::suspended);
  ++it;
  lines.push_back("next value after break: " + fmt(*it));
  EXPECT_EQ(lines, (log_t{"got 1", "got 2", "got 3", "next value after break: 4"}));
}

TEST(Mirror, gen_fibonacci) {  // mirrors conformance/scenarios/gen_fibonacci.lua
  jmpco::coroutine<long long()> fib([](jmpco::yielder<long long()>& y) -> long long {
    long long a = 0, b = 1;
    while (true) {
      y.yield(a);
      long long next = a + b;
      a = b;
      b = next;
    }
  });
  std::vector<int> got;
  while (true) {
    long long v = fib.resume().value();
    if (v > 200) break;
    got.push_back(static_cast<int>(v));
  }
  EXPECT_EQ(join(got, ","), "0,1,1,2,3,5,8,13,21,34,55,89,144");
  EXPECT_EQ(fib.status(), status::suspended);
}

jmpco::generator<int> numbers(int n) {
  return jmpco::generator<int>([n](jmpco::yielder<int()>& y) {
    for (int i = 1; i <= n; ++i) y.yield(i);
  });
}

TEST(Mirror, gen_filter_evens) {  // mirrors conformance/scenarios/gen_filter_evens.lua
  auto filter = [](std::function<bool(int)> pred, jmpco::generator<int> gen) {
    return jmpco::generator<int>(
        [pred, g = std::make_shared<jmpco::generator<int>>(std::move(gen))](jmpco::yielder<int()>& y) {
          for (int v : *g)
            if (pred(v)) y.yield(v);
        });
  };
  std::vector<int> out;
  for (int v : filter([](int x) { return x % 2 == 0; }, numbers(15))) out.push_back(v);
  EXPECT_EQ(join(out, " "), "2 4 6 8 10 12 14");
}

// A nested array: each node is a number (a leaf) or a list of nodes.
struct nested {
  int leaf = 0;
  std::vector<nested> items;
  bool is_list = false;
  nested(int v) : leaf(v) {}  // NOLINT: implicit, for brace lists
  nested(std::initializer_list<nested> l) : items(l), is_list(true) {}
};

void go(const nested& x) {
  if (x.is_list) {
    for (const nested& v : x.items) go(v);
  } else {
    jmpco::this_coroutine::try_yield<int()>(x.leaf).value();
  }
}

TEST(Mirror, gen_flatten_nested) {  // mirrors conformance/scenarios/gen_flatten_nested.lua
  const nested t{1, {2, {3, {4, {5}}}, 6}, {{{7}}}, 8};
  jmpco::generator<int> flatten([&t](jmpco::yielder<int()>&) { go(t); });
  std::vector<int> out;
  for (int v : flatten) out.push_back(v);
  EXPECT_EQ(join(out, ","), "1,2,3,4,5,6,7,8");
}

void hanoi(jmpco::yielder<std::pair<char, char>()>& y, int n, char from, char to, char via) {
  if (n == 0) return;
  hanoi(y, n - 1, from, via, to);
  y.yield(from, to);
  hanoi(y, n - 1, via, to, from);
}

TEST(Mirror, gen_hanoi) {  // mirrors conformance/scenarios/gen_hanoi.lua
  log_t lines;
  int moves = 0;
  jmpco::generator<std::pair<char, char>> gen([](auto& y) { hanoi(y, 4, 'A', 'C', 'B'); });
  for (const auto& [a, b] : gen) lines.push_back(fmt(++moves) + " " + a + "->" + b);
  EXPECT_EQ(lines, (log_t{"1 A->B", "2 A->C", "3 B->C", "4 A->B", "5 C->A", "6 C->B", "7 A->B", "8 A->C", "9 B->C",
                          "10 B->A", "11 C->A", "12 B->C", "13 A->B", "14 A->C", "15 B->C"}));
}

TEST(Mirror, gen_ipairs_pairs_inside) {  // mirrors conformance/scenarios/gen_ipairs_pairs_inside.lua
  const std::vector<std::string> t{"p", "q", "r"};
  using item = std::pair<int, std::string>;
  log_t lines;
  jmpco::generator<item> g1([&t](auto& y) {
    for (std::size_t i = 0; i < t.size(); ++i) y.yield(static_cast<int>(i + 1), t[i]);
  });
  for (const item& x : g1) lines.push_back("ipairs " + fmt(x.first) + " " + x.second);
  const std::map<int, std::string> as_map{{1, "p"}, {2, "q"}, {3, "r"}};
  jmpco::generator<item> g2([&as_map](auto& y) {
    for (const auto& [k, v] : as_map) y.yield(k, v);
  });
  for (const item& x : g2) lines.push_back("pairs " + fmt(x.first) + " " + x.second);
  EXPECT_EQ(lines, (log_t{"ipairs 1 p", "ipairs 2 q", "ipairs 3 r", "pairs 1 p", "pairs 2 q", "pairs 3 r"}));
}

// The Lua generator yields the array it permutes in place; here the yield hands out a copy (a value
// through yield, never a pointer into the suspended generator's stack).
void permgen(jmpco::yielder<std::vector<std::string>()>& y, std::vector<std::string>& a, std::size_t n) {
  if (n <= 1) {
    y.yield(a);
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      std::swap(a[n - 1], a[i]);
      permgen(y, a, n - 1);
      std::swap(a[n - 1], a[i]);
    }
  }
}

TEST(Mirror, gen_permutations) {  // mirrors conformance/scenarios/gen_permutations.lua
  jmpco::generator<std::vector<std::string>> perms([](auto& y) {
    std::vector<std::string> a{"a", "b", "c", "d"};
    permgen(y, a, a.size());
  });
  log_t got;
  int count = 0;
  for (const auto& p : perms) got.push_back(fmt(++count) + " " + join(p, ""));
  EXPECT_EQ(got, (log_t{"1 bcda",  "2 cbda",  "3 cdba",  "4 dcba",  "5 bdca",  "6 dbca",  "7 dcab",  "8 cdab",
                        "9 cadb",  "10 acdb", "11 dacb", "12 adcb", "13 bdac", "14 dbac", "15 dabc", "16 adbc",
                        "17 badc", "18 abdc", "19 bcad", "20 cbad", "21 cabd", "22 acbd", "23 bacd", "24 abcd"}));
}

void subsets_go(jmpco::yielder<std::string()>& y, const std::vector<std::string>& items, std::vector<std::string>& cur,
                std::size_t i) {
  if (i >= items.size()) {
    y.yield("{" + join(cur, ",") + "}");
    return;
  }
  subsets_go(y, items, cur, i + 1);
  cur.push_back(items[i]);
  subsets_go(y, items, cur, i + 1);
  cur.pop_back();
}

TEST(Mirror, gen_powerset) {  // mirrors conformance/scenarios/gen_powerset.lua
  jmpco::generator<std::string> subsets([](auto& y) {
    const std::vector<std::string> items{"a", "b", "c"};
    std::vector<std::string> cur;
    subsets_go(y, items, cur, 0);
  });
  log_t got;
  for (const std::string& s : subsets) got.push_back(s);
  EXPECT_EQ(got, (log_t{"{}", "{c}", "{b}", "{b,c}", "{a}", "{a,c}", "{a,b}", "{a,b,c}"}));
}

// Each stage is a wrap that owns the stage before it: 21 coroutines nested by the end.
TEST(Mirror, gen_primes_sieve) {  // mirrors conformance/scenarios/gen_primes_sieve.lua
  using stage = std::shared_ptr<jmpco::wrapped<int()>>;
  auto counter = [](int from) {
    return std::make_shared<jmpco::wrapped<int()>>(jmpco::wrap<int()>([from](jmpco::yielder<int()>& y) -> int {
      for (int n = from;; ++n) y.yield(n);
    }));
  };
  auto without_multiples = [](int p, stage gen) {
    return std::make_shared<jmpco::wrapped<int()>>(jmpco::wrap<int()>([p, gen](jmpco::yielder<int()>& y) -> int {
      while (true) {
        int v = (*gen)();
        if (v % p != 0) y.yield(v);
      }
    }));
  };
  stage gen = counter(2);
  std::vector<int> primes;
  for (int i = 0; i < 20; ++i) {
    int p = (*gen)();
    primes.push_back(p);
    gen = without_multiples(p, gen);
  }
  EXPECT_EQ(join(primes, " "), "2 3 5 7 11 13 17 19 23 29 31 37 41 43 47 53 59 61 67 71");
}

TEST(Mirror, gen_range) {  // mirrors conformance/scenarios/gen_range.lua
  auto range = [](int a, int b, int step) {
    return jmpco::generator<int>([a, b, step](jmpco::yielder<int()>& y) {
      for (int i = a; step > 0 ? i <= b : i >= b; i += step) y.yield(i);
    });
  };
  std::vector<int> out;
  for (int i : range(1, 10, 3)) out.push_back(i);
  EXPECT_EQ(join(out, " "), "1 4 7 10");
  std::vector<int> down;
  for (int i : range(3, 1, -1)) down.push_back(i);
  EXPECT_EQ(down, (std::vector<int>{3, 2, 1}));
}

TEST(Mirror, gen_sorted_keys) {  // mirrors conformance/scenarios/gen_sorted_keys.lua
  using item = std::pair<std::string, int>;
  const std::vector<item> t{{"pear", 3}, {"apple", 1}, {"fig", 7}, {"kiwi", 2}};
  jmpco::generator<item> sorted_keys([&t](auto& y) {
    std::vector<item> keys(t);
    for (std::size_t i = 1; i < keys.size(); ++i) {  // insertion sort, as the scenario does by hand
      item k = keys[i];
      std::size_t j = i;
      while (j >= 1 && keys[j - 1].first > k.first) {
        keys[j] = keys[j - 1];
        --j;
      }
      keys[j] = k;
    }
    for (const item& k : keys) y.yield(k);
  });
  log_t got;
  for (const item& k : sorted_keys) got.push_back(k.first + " " + fmt(k.second));
  EXPECT_EQ(got, (log_t{"apple 1", "fig 7", "kiwi 2", "pear 3"}));
}

TEST(Mirror, gen_state_machine) {  // mirrors conformance/scenarios/gen_state_machine.lua
  auto machine = jmpco::wrap<std::string(std::string)>([](auto& y, std::string input) -> std::string {
    std::string state = "idle";
    while (true) {
      if (state == "idle" && input == "coin") {
        state = "ready";
      } else if (state == "ready" && input == "push") {
        state = "idle";
      } else if (input == "kick") {
        state = "broken";
      }
      input = y.yield(state);
    }
  });
  log_t got;
  for (const char* ev : {"push", "coin", "coin", "push", "kick", "coin"}) got.push_back(ev + (" " + machine(ev)));
  EXPECT_EQ(got, (log_t{"push idle", "coin ready", "coin ready", "push idle", "kick broken", "coin broken"}));
}

TEST(Mirror, gen_stateful_multiple) {  // mirrors conformance/scenarios/gen_stateful_multiple.lua
  auto countdown = [](int n) {
    return jmpco::wrap<std::string()>([n](jmpco::yielder<std::string()>& y) mutable {
      while (n > 0) {
        y.yield(fmt(n));
        n = n - 1;
      }
      return std::string("liftoff");
    });
  };
  auto a = countdown(3), b = countdown(2);
  log_t got;
  got.push_back(a());
  got.push_back(b());
  got.push_back(a());
  got.push_back(b());
  got.push_back(a());
  got.push_back(b());
  got.push_back(a());
  EXPECT_EQ(join(got, " "), "3 2 2 1 1 liftoff liftoff");
}

TEST(Mirror, gen_take_infinite) {  // mirrors conformance/scenarios/gen_take_infinite.lua
  jmpco::coroutine<int()> source([](jmpco::yielder<int()>& y) -> int {
    for (int i = 1;; ++i) y.yield(i * i);
  });
  auto take = [&source](int n) {
    return jmpco::generator<int>([n, &source](jmpco::yielder<int()>& y) {
      for (int i = 0; i < n; ++i) y.yield(source.resume().value());
    });
  };
  std::vector<int> got;
  for (int v : take(6)) got.push_back(v);
  EXPECT_EQ(got, (std::vector<int>{1, 4, 9, 16, 25, 36}));
  EXPECT_EQ(source.status(), status::suspended);
  EXPECT_EQ(source.resume().value(), 49);
}

struct tree {
  std::string label;
  std::vector<tree> children;
};

void visit(jmpco::yielder<std::pair<int, std::string>()>& y, const tree& t, int depth) {
  y.yield(depth, t.label);
  for (const tree& c : t.children) visit(y, c, depth + 1);
}

TEST(Mirror, gen_tree_depth_pairs) {  // mirrors conformance/scenarios/gen_tree_depth_pairs.lua
  const tree t{"root", {{"a", {{"a1", {}}, {"a2", {}}}}, {"b", {{"b1", {{"b1x", {}}}}}}}};
  jmpco::generator<std::pair<int, std::string>> gen([&t](auto& y) { visit(y, t, 0); });
  log_t got;
  for (const auto& [depth, label] : gen) got.push_back(std::string(static_cast<std::size_t>(2 * depth), ' ') + label);
  EXPECT_EQ(got, (log_t{"root", "  a", "    a1", "    a2", "  b", "    b1", "      b1x"}));
}

struct node {
  int value;
  std::unique_ptr<node> left, right;
};
std::unique_ptr<node> mk(int v, std::unique_ptr<node> l = nullptr, std::unique_ptr<node> r = nullptr) {
  return std::make_unique<node>(node{v, std::move(l), std::move(r)});
}

void walk(const node* n) {
  if (n == nullptr) return;
  walk(n->left.get());
  jmpco::this_coroutine::try_yield<int()>(n->value).value();
  walk(n->right.get());
}

TEST(Mirror, gen_tree_inorder) {  // mirrors conformance/scenarios/gen_tree_inorder.lua
  std::unique_ptr<node> t =
      mk(8, mk(4, mk(2, mk(1), mk(3)), mk(6, mk(5), mk(7))), mk(12, mk(10, nullptr, mk(11)), mk(14, mk(13))));
  jmpco::generator<int> gen([&t](auto&) { walk(t.get()); });
  std::vector<int> out;
  for (int v : gen) out.push_back(v);
  EXPECT_EQ(join(out, " "), "1 2 3 4 5 6 7 8 10 11 12 13 14");
}

TEST(Mirror, gen_zip) {  // mirrors conformance/scenarios/gen_zip.lua
  using opt_s = std::optional<std::string>;
  auto from = [](std::vector<std::string> t) {
    return std::make_shared<jmpco::wrapped<opt_s()>>(jmpco::wrap<opt_s()>([t](auto& y) -> opt_s {
      for (const std::string& s : t) y.yield(s);
      return std::nullopt;
    }));
  };
  auto g1 = from({"x", "y", "z", "w"});
  auto g2 = from({"1", "2", "3"});
  jmpco::generator<std::pair<std::string, std::string>> zip([g1, g2](auto& y) {
    while (true) {
      opt_s a = (*g1)();
      opt_s b = (*g2)();
      if (!a || !b) return;
      y.yield(*a, *b);
    }
  });
  log_t got;
  for (const auto& [a, b] : zip) got.push_back(a + " " + b);
  EXPECT_EQ(got, (log_t{"x 1", "y 2", "z 3"}));
}

// ---- prodcons_* ----------------------------------------------------------------------------

TEST(Mirror, prodcons_bounded_buffer) {  // mirrors conformance/scenarios/prodcons_bounded_buffer.lua
  std::deque<int> buffer;
  const std::size_t cap = 2;
  log_t log, lines;
  using sig = std::string();
  jmpco::coroutine<sig> producer([&](jmpco::yielder<sig>& y) {
    for (int i = 1; i <= 5; ++i) {
      while (buffer.size() >= cap) y.yield("full");
      buffer.push_back(i);
      log.push_back("put" + fmt(i));
    }
    return std::string("producer done");
  });
  jmpco::coroutine<sig> consumer([&](jmpco::yielder<sig>& y) {
    int got = 0;
    while (got < 5) {
      if (buffer.empty()) {
        y.yield("empty");
      } else {
        int v = buffer.front();
        buffer.pop_front();
        ++got;
        log.push_back("get" + fmt(v));
        if (got % 2 == 0) y.yield("rest");
      }
    }
    return std::string("consumer done");
  });
  while (producer.status() != status::dead || consumer.status() != status::dead) {
    if (producer.status() != status::dead) lines.push_back("P " + producer.resume().value());
    if (consumer.status() != status::dead) lines.push_back("C " + consumer.resume().value());
  }
  EXPECT_EQ(lines, (log_t{"P full", "C rest", "P full", "C rest", "P producer done", "C consumer done"}));
  EXPECT_EQ(join(log, " "), "put1 put2 get1 get2 put3 put4 get3 get4 put5 get5");
}

// A push pipeline: mapper -> mapper -> sink, each stage resumed with the next value.
TEST(Mirror, prodcons_chained_consumers) {  // mirrors conformance/scenarios/prodcons_chained_consumers.lua
  using sig = void(int);
  using stage = std::shared_ptr<jmpco::coroutine<sig>>;
  log_t log;
  auto sink = [&log] {
    return std::make_shared<jmpco::coroutine<sig>>([&log](jmpco::yielder<sig>& y, int v) {
      while (true) {
        log.push_back("sink " + fmt(v));
        v = y.yield();
      }
    });
  };
  auto mapper = [](std::function<int(int)> f, stage next) {
    return std::make_shared<jmpco::coroutine<sig>>([f, next](jmpco::yielder<sig>& y, int v) {
      while (true) {
        (void)next->resume(f(v));
        v = y.yield();
      }
    });
  };
  stage pipeline = mapper([](int x) { return x + 1; }, mapper([](int x) { return x * 10; }, sink()));
  for (int i = 1; i <= 4; ++i) ASSERT_TRUE(pipeline->resume(i).ok());
  EXPECT_EQ(log, (log_t{"sink 20", "sink 30", "sink 40", "sink 50"}));
}

TEST(Mirror, prodcons_consumer_driven) {  // mirrors conformance/scenarios/prodcons_consumer_driven.lua
  using item = std::optional<std::string>;
  log_t log;
  jmpco::coroutine<item()> producer([&](jmpco::yielder<item()>& y) -> item {
    for (const char* it : {"bread", "milk", "eggs"}) {
      log.push_back(std::string("producing ") + it);
      y.yield(it);
    }
    return std::nullopt;
  });
  auto receive = [&] { return producer.resume().value(); };
  while (true) {
    item it = receive();
    if (!it) break;
    log.push_back("consuming " + *it);
  }
  log.push_back("producer " + st(producer.status()));
  EXPECT_EQ(log, (log_t{"producing bread", "consuming bread", "producing milk", "consuming milk", "producing eggs",
                        "consuming eggs", "producer dead"}));
}

TEST(Mirror, prodcons_error_in_producer) {  // mirrors conformance/scenarios/prodcons_error_in_producer.lua
  using item = std::optional<int>;
  jmpco::coroutine<item()> producer([](jmpco::yielder<item()>& y) -> item {
    y.yield(1);
    y.yield(2);
    throw new_table(0, "E_PRODUCER");
  });
  log_t log;
  while (true) {
    jmpco::result<item> r = producer.resume();
    if (!r.ok()) {
      std::optional<table_ref> e = caught_as<table_ref>(r.error().exception());
      log.push_back("producer failed with " + std::string(e ? "table " + (*e)->name : "?"));
      break;
    }
    if (!*r) break;
    log.push_back("item " + fmt(**r));
  }
  EXPECT_EQ(log, (log_t{"item 1", "item 2", "producer failed with table E_PRODUCER"}));
  EXPECT_EQ(producer.status(), status::dead);
}

TEST(Mirror, prodcons_filter) {  // mirrors conformance/scenarios/prodcons_filter.lua
  using item = std::optional<std::string>;
  using co_t = jmpco::coroutine<item()>;
  auto producer = [](std::vector<std::string> lines) {
    return std::make_shared<co_t>([lines](jmpco::yielder<item()>& y) -> item {
      for (const std::string& l : lines) y.yield(l);
      return std::nullopt;
    });
  };
  auto receive = [](co_t& prod) { return prod.resume().value(); };
  auto filter = [receive](std::shared_ptr<co_t> prod) {
    return co_t([prod, receive](jmpco::yielder<item()>& y) -> item {
      for (int n = 1;; ++n) {
        item x = receive(*prod);
        if (!x) return std::nullopt;
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%5.1f %s", static_cast<double>(n), x->c_str());
        y.yield(std::string(buffer));
      }
    });
  };
  co_t p = filter(producer({"alpha", "beta", "gamma"}));
  log_t got;
  while (true) {
    item line = receive(p);
    if (!line) break;
    got.push_back(*line);
  }
  EXPECT_EQ(got, (log_t{"  1.0 alpha", "  2.0 beta", "  3.0 gamma"}));
}

// The items 5, 10, 20 and the final "stop": one Lua value each.
TEST(Mirror, prodcons_producer_driven) {  // mirrors conformance/scenarios/prodcons_producer_driven.lua
  using sig = int(value);
  log_t log;
  jmpco::coroutine<sig> consumer([&](jmpco::yielder<sig>& y, value first) {
    value item = first;
    int total = 0;
    while (item != v("stop")) {
      total += static_cast<int>(std::get<long long>(item));
      log.push_back("consumer got " + str(item) + " running total " + fmt(total));
      item = y.yield(0);
    }
    return total;
  });
  for (int x : {5, 10, 20}) ASSERT_TRUE(consumer.resume(v(x)).ok());
  EXPECT_EQ(consumer.resume(v("stop")).value(), 35);
  EXPECT_EQ(log, (log_t{"consumer got 5 running total 5", "consumer got 10 running total 15",
                        "consumer got 20 running total 35"}));
}

TEST(Mirror, prodcons_round_robin_merge) {  // mirrors conformance/scenarios/prodcons_round_robin_merge.lua
  using item = std::optional<std::string>;
  auto producer = [](std::string name, int n) {
    return jmpco::coroutine<item()>([name, n](jmpco::yielder<item()>& y) -> item {
      for (int i = 1; i <= n; ++i) y.yield(name + fmt(i));
      return std::nullopt;
    });
  };
  std::vector<jmpco::coroutine<item()>> producers;
  producers.push_back(producer("a", 3));
  producers.push_back(producer("b", 1));
  producers.push_back(producer("c", 2));
  log_t out;
  std::size_t active = producers.size();
  while (active > 0) {
    active = 0;
    for (auto& p : producers) {
      if (p.status() == status::suspended) {
        item x = p.resume().value();
        if (x) {
          out.push_back(*x);
          ++active;
        }
      }
    }
  }
  EXPECT_EQ(join(out, " "), "a1 b1 c1 a2 c2 a3");
}

TEST(Mirror, prodcons_two_filters) {  // mirrors conformance/scenarios/prodcons_two_filters.lua
  using gen = jmpco::generator<int>;
  auto stage = [](std::function<std::optional<int>(int)> f, gen input) {
    return gen([f, in = std::make_shared<gen>(std::move(input))](jmpco::yielder<int()>& y) {
      for (int v : *in) {
        std::optional<int> out = f(v);
        if (out) y.yield(*out);
      }
    });
  };
  gen evens = stage([](int v) { return v % 2 == 0 ? std::optional<int>(v) : std::nullopt; }, numbers(12));
  gen squares = stage([](int v) { return std::optional<int>(v * v); }, std::move(evens));
  std::vector<int> got;
  for (int v : squares) got.push_back(v);
  EXPECT_EQ(join(got, " "), "4 16 36 64 100 144");
}

TEST(Mirror, prodcons_wrap_pipeline_tbc) {  // mirrors conformance/scenarios/prodcons_wrap_pipeline_tbc.lua
  log_t log;
  jmpco::coroutine<int()> prod([&](jmpco::yielder<int()>& y) -> int {
    closer res(log, "producer resource");
    for (int i = 1;; ++i) y.yield(i);
  });
  for (int i = 0; i < 3; ++i) log.push_back("consumed " + fmt(prod.resume().value()));
  jmpco::result<void> c = prod.close();
  log.push_back(std::string("closing producer: ") + (c.ok() ? "true" : "false"));
  EXPECT_EQ(prod.status(), status::dead);
  EXPECT_EQ(log,
            (log_t{"consumed 1", "consumed 2", "consumed 3", "close producer resource", "closing producer: true"}));
}

// ---- misc_* --------------------------------------------------------------------------------

// A library function as the body -> a plain function (not a lambda) taking the yielder first.
std::string tostring_body(jmpco::yielder<std::string(double)>&, double x) { return fmt(x); }
values select_body(jmpco::yielder<values(values)>&, values args) {
  const std::size_t n = static_cast<std::size_t>(std::get<long long>(args.at(0)));
  return values(args.begin() + static_cast<std::ptrdiff_t>(n), args.end());
}

TEST(Mirror, misc_create_with_c_function) {  // mirrors conformance/scenarios/misc_create_with_c_function.lua
  jmpco::coroutine<values(values)> co2(&select_body);
  EXPECT_EQ(print(co2.resume(vals(2, "a", "b", "c")).value()), "b\tc");
  EXPECT_EQ(co2.status(), status::dead);
  auto co3 = jmpco::wrap<std::string(double)>(&tostring_body);
  EXPECT_EQ(co3(12.0), "12.0");
}

struct lib {
  static void gen(jmpco::yielder<int()>& y, int n) {
    for (int i = 1; i <= n; ++i) y.yield(i);
  }
};
void gen2(jmpco::yielder<int()>& y, int n) {
  for (int i = n; i >= 1; --i) y.yield(i);
}

TEST(Mirror, misc_function_name_forms) {  // mirrors conformance/scenarios/misc_function_name_forms.lua
  std::vector<int> out;
  for (int v : jmpco::generator<int>([](auto& y) { lib::gen(y, 3); })) out.push_back(v);
  for (int v : jmpco::generator<int>([](auto& y) { gen2(y, 3); })) out.push_back(v);
  EXPECT_EQ(join(out, " "), "1 2 3 3 2 1");
}

TEST(Mirror, misc_logic_operators) {  // mirrors conformance/scenarios/misc_logic_operators.lua
  int calls = 0;
  jmpco::coroutine<int()> co([&](jmpco::yielder<int()>& y) -> int {
    while (true) {
      calls = calls + 1;
      y.yield(calls);
    }
  });
  auto next_value = [&] { return co.resume().value(); };
  EXPECT_TRUE(next_value() == 1 || next_value());
  EXPECT_FALSE(next_value() > 5 && next_value());
  EXPECT_FALSE(!next_value());
  EXPECT_EQ(calls, 3);
}

struct walker {
  std::vector<std::string> items;
  std::size_t pos = 0;
  std::optional<std::string> step() {
    pos = pos + 1;
    if (pos > items.size()) return std::nullopt;
    return items[pos - 1];
  }
  std::string run(jmpco::yielder<std::string(walker*)>& y) {
    while (true) {
      std::optional<std::string> v = step();
      if (!v) return "walked " + fmt(static_cast<int>(pos - 1));
      y.yield(*v);
    }
  }
};

// The method as the body; self (an object of the test's frame) arrives as the first resume argument.
TEST(Mirror, misc_method_coroutines) {  // mirrors conformance/scenarios/misc_method_coroutines.lua
  walker w{{"n", "e", "s"}};
  jmpco::coroutine<std::string(walker*)> co([](auto& y, walker* self) { return self->run(y); });
  EXPECT_EQ(co.resume(&w).value(), "n");
  EXPECT_EQ(co.resume(nullptr).value(), "e");
  EXPECT_EQ(co.resume(nullptr).value(), "s");
  EXPECT_EQ(co.resume(nullptr).value(), "walked 3");
  EXPECT_EQ(w.pos, 4u);
}

TEST(Mirror, misc_resume_passes_self) {  // mirrors conformance/scenarios/misc_resume_passes_self.lua
  std::vector<bool> seen;
  jmpco::coroutine<void(core*)>* handle = nullptr;
  jmpco::coroutine<void(core*)> co([&](jmpco::yielder<void(core*)>& y, core* me) {
    seen.push_back(me == handle->core());
    seen.push_back(me == jmpco::this_coroutine::running());
    core* other = y.yield();
    seen.push_back(other == handle->core());
  });
  handle = &co;
  ASSERT_TRUE(co.resume(co.core()).ok());
  ASSERT_TRUE(co.resume(co.core()).ok());
  EXPECT_EQ(seen, (std::vector<bool>{true, true, true}));
}

TEST(Mirror, misc_scheduler_round_robin) {  // mirrors conformance/scenarios/misc_scheduler_round_robin.lua
  struct task {
    std::string name;
    jmpco::coroutine<std::string()> co;
  };
  std::deque<task> queue;
  auto spawn = [&](std::string name, int steps) {
    queue.push_back(task{name, jmpco::coroutine<std::string()>([name, steps](jmpco::yielder<std::string()>& y) {
                           for (int i = 1; i <= steps; ++i) y.yield(name + " step " + fmt(i));
                           return name + " finished";
                         })});
  };
  spawn("A", 3);
  spawn("B", 1);
  spawn("C", 2);
  log_t got;
  while (!queue.empty()) {
    task t = std::move(queue.front());
    queue.pop_front();
    got.push_back(t.co.resume().value());
    if (t.co.status() != status::dead) queue.push_back(std::move(t));
  }
  EXPECT_EQ(got, (log_t{"A step 1", "B step 1", "C step 1", "A step 2", "B finished", "C step 2", "A step 3",
                        "C finished", "A finished"}));
}

TEST(Mirror, misc_string_format_values) {  // mirrors conformance/scenarios/misc_string_format_values.lua
  using out = std::tuple<int, std::string, double>;
  auto co = jmpco::wrap<out()>([](jmpco::yielder<out()>& y) {
    y.yield(42, "text", 3.14159);
    return out{};
  });
  auto [n, s, f] = co();
  char buffer[128];
  std::snprintf(buffer, sizeof buffer, "%d|%s|%5.1f|%%", n, s.c_str(), f);
  EXPECT_STREQ(buffer, "42|text|  3.1|%");
  std::snprintf(buffer, sizeof buffer, "%5.1f%%", 99.94);
  EXPECT_STREQ(buffer, " 99.9%");
}

TEST(Mirror, misc_table_insert_concat) {  // mirrors conformance/scenarios/misc_table_insert_concat.lua
  std::vector<int> acc;
  for (int v : jmpco::generator<int>([](auto& y) {
         for (int i = 1; i <= 5; ++i) y.yield(i * 3);
       }))
    acc.push_back(v);
  acc.insert(acc.begin(), 0);
  EXPECT_EQ(join(acc, "-"), "0-3-6-9-12-15");
  EXPECT_EQ(acc.size(), 6u);
}

// Symmetric transfer through a trampoline: each coroutine yields the index of the next one.
TEST(Mirror, misc_trampoline_symmetric) {  // mirrors conformance/scenarios/misc_trampoline_symmetric.lua
  using next_t = std::optional<int>;
  log_t log;
  auto player = [&log](std::string name, int other) {
    return jmpco::coroutine<next_t()>([&log, name, other](jmpco::yielder<next_t()>& y) -> next_t {
      for (int i = 1; i <= 3; ++i) {
        log.push_back(name + fmt(i));
        y.yield(other);
      }
      return std::nullopt;
    });
  };
  std::vector<jmpco::coroutine<next_t()>> cos;
  cos.push_back(player("ping", 1));
  cos.push_back(player("pong", 0));
  next_t nxt = 0;
  while (nxt) nxt = cos[static_cast<std::size_t>(*nxt)].resume().value();
  EXPECT_EQ(join(log, " "), "ping1 pong1 ping2 pong2 ping3 pong3");
  EXPECT_EQ(cos[0].status(), status::dead);
  EXPECT_EQ(cos[1].status(), status::suspended);
}

TEST(Mirror, misc_varargs_forwarding) {  // mirrors conformance/scenarios/misc_varargs_forwarding.lua
  auto fwd = [](values args) {
    return jmpco::wrap<values(values)>([](auto&, values a) {
      values out = vals(static_cast<int>(a.size()));
      out.insert(out.end(), a.begin(), a.end());
      return out;
    })(std::move(args));
  };
  EXPECT_EQ(print(fwd({})), "0");
  EXPECT_EQ(print(fwd(vals(nullptr))), "1\tnil");
  EXPECT_EQ(print(fwd(vals(1, nullptr, 3, nullptr, nullptr))), "5\t1\tnil\t3\tnil\tnil");
}

std::string once_body(jmpco::yielder<std::string()>& y) {
  y.yield("once");
  return "end";
}

TEST(Mirror, misc_wrap_of_dead_via_create) {  // mirrors conformance/scenarios/misc_wrap_of_dead_via_create.lua
  jmpco::coroutine<std::string()> co(&once_body);
  (void)co.resume();
  (void)co.resume();
  EXPECT_EQ(co.status(), status::dead);
  auto w = jmpco::wrap<std::string()>(&once_body);
  EXPECT_EQ(w(), "once");
  EXPECT_EQ(w(), "end");
  EXPECT_EQ(text(pcall(w)), "cannot resume dead coroutine");
}

}  // namespace
