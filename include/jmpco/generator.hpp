// SPDX-License-Identifier: MIT
// generator<T>: a coroutine that yields a sequence of T, usable in a range-for loop.
//
//   jmpco::generator<int> squares([](jmpco::yielder<int()>& y) {
//     for (int i = 1; i <= 3; ++i) y.yield(i * i);
//   });
//   for (int v : squares) std::printf("%d\n", v);   // 1 4 9
//
// An error that kills the body ends the iteration: with exceptions it is rethrown from the
// iterator's increment (or begin()); without, iteration stops and error() holds it.
#ifndef JMPCO_GENERATOR_HPP
#define JMPCO_GENERATOR_HPP

#include <cstddef>
#include <iterator>

#include "jmpco/coroutine.hpp"

namespace jmpco {

template <class T>
class generator {
  static_assert(!std::is_reference_v<T> && !std::is_void_v<T> && !std::is_const_v<T>,
                "generator<T> yields values of a plain object type: generator<T>, not "
                "generator<const T&> (use generator<std::reference_wrapper<T>> or a pointer "
                "for references)");

 public:
  using yielder_type = yielder<T()>;

  // Reads the generator's current value, which lives in the coroutine object: it stays valid
  // while the generator is moved, until the next increment.
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = T*;
    using reference = T&;

    reference operator*() const noexcept { return *owner_->channel_->outbox.value; }
    pointer operator->() const noexcept { return &**this; }
    iterator& operator++() {
      owner_->advance();
      return *this;
    }
    void operator++(int) { owner_->advance(); }
    friend bool operator==(const iterator& it, std::nullptr_t) noexcept { return it.at_end(); }
    friend bool operator!=(const iterator& it, std::nullptr_t) noexcept { return !it.at_end(); }

   private:
    friend class generator;
    explicit iterator(generator* owner) noexcept : owner_(owner) {}
    bool at_end() const noexcept {
      return owner_->channel_ == nullptr || !owner_->channel_->outbox.full();
    }
    generator* owner_;
  };

  // `body` is called as body(yielder<T()>&) on the first step. If the coroutine object cannot be
  // allocated, iterating reports errc::empty_handle.
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, generator>>>
  explicit generator(F&& body) : channel_(detail::make_channel<T>(std::forward<F>(body))) {
    if constexpr (detail::is_body_v<F, T>) {
      static_assert(std::is_void_v<std::invoke_result_t<std::decay_t<F>&, yielder_type&>>,
                    "a generator body returns void");
    }
    hold();
  }
  generator(generator&& other) noexcept
      : channel_(std::exchange(other.channel_, nullptr)),
        error_(std::move(other.error_)),
        started_(other.started_) {
    hold();
  }
  generator& operator=(generator&&) = delete;
  ~generator() {
    if (channel_ == nullptr) return;
    channel_->holder = nullptr;
    channel_->release();
  }

  // Starts (or continues) the sequence. A generator is a single pass: begin() resumes it once.
  iterator begin() {
    if (!started_) {
      started_ = true;
      advance();
    }
    return iterator(this);
  }
  std::nullptr_t end() const noexcept { return nullptr; }

  // The error the body died with, or the misuse that stopped it (without exceptions).
  const jmpco::error& error() const noexcept { return error_; }
  jmpco::status status() const noexcept {
    return channel_ != nullptr ? channel_->status() : jmpco::status::dead;
  }

 private:
  void hold() noexcept {
    if (channel_ != nullptr) channel_->holder = this;
  }

  // Resumes the body for its next value. The body may destroy or move this very generator while
  // it runs: after the switch, `this` is touched only if it still holds the channel.
  void advance() {
    detail::channel<T>* channel = channel_;
    if (channel == nullptr) return fail(jmpco::error(errc::empty_handle), true);
    if (channel->status() == jmpco::status::dead) return channel->outbox.clear();
    struct step {
      jmpco::error failure;
      bool held;
    };
    // The current value stays in the outbox until the body yields the next (which replaces it)
    // or finishes; a refused step (a misuse, not enough memory) changes nothing.
    step s = detail::resume_pinned(channel, [this, channel](errc e) {
      if (channel->status() == jmpco::status::dead) channel->outbox.clear();
      return step{detail::failure_of(*channel, e), channel->holder == this};
    });
    if (s.failure) fail(s.failure, s.held);
  }

  void fail(const jmpco::error& e, bool held) {
    if (held) error_ = e;
#if JMPCO_EXCEPTIONS
    e.rethrow();
#endif
  }

  detail::channel<T>* channel_;
  jmpco::error error_;
  bool started_ = false;
};

}  // namespace jmpco

#endif  // JMPCO_GENERATOR_HPP
