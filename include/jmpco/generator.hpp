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
  // allocated, the generator is empty: iterating reports errc::empty_handle.
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, generator>>>
  explicit generator(F&& body) : channel_(detail::make_channel<T>(std::forward<F>(body))) {
    if constexpr (detail::is_body_v<F, T>) {
      static_assert(std::is_void_v<std::invoke_result_t<std::decay_t<F>&, yielder_type&>>,
                    "a generator body returns void");
    }
  }
  generator(generator&& other) noexcept : channel_(std::exchange(other.channel_, nullptr)) {}
  generator& operator=(generator&&) = delete;
  ~generator() {
    if (channel_ != nullptr) channel_->release();
  }

  // Starts the sequence. A generator is a single pass: begin() resumes it only until the body
  // has started (a first step that was refused, e.g. at the nesting limit, is tried again).
  iterator begin() {
    if (channel_ == nullptr || !channel_->started()) advance();
    return iterator(this);
  }
  std::nullptr_t end() const noexcept { return nullptr; }

  // The error the body died with, or else the misuse that last stopped a step (without
  // exceptions this is how iteration reports either); errc::empty_handle for an empty generator
  // (its coroutine could not be allocated, or it was moved from).
  jmpco::error error() const noexcept {
    if (channel_ == nullptr) return jmpco::error(errc::empty_handle);
    if (channel_->death()) return channel_->death();
    return jmpco::error(channel_->last_refusal);
  }
  jmpco::status status() const noexcept {
    return channel_ != nullptr ? channel_->status() : jmpco::status::dead;
  }

 private:
  // Resumes the body for its next value. The body may destroy or move this very generator while
  // it runs, so all that a step records lives in the coroutine object, which the step pins: the
  // handle is one pointer, and `this` is not touched after the switch.
  void advance() {
    detail::channel<T>* channel = channel_;
    if (channel == nullptr) return fail(jmpco::error(errc::empty_handle));
    if (channel->status() == jmpco::status::dead) return channel->outbox.clear();
    // The current value stays in the outbox until the body yields the next (which replaces it)
    // or finishes; a refused step (a misuse, not enough memory) changes nothing else.
    jmpco::error failure = detail::resume_pinned(channel, [channel](errc e) {
      if (channel->status() == jmpco::status::dead) channel->outbox.clear();
      if (jmpco::error(e).is_misuse()) channel->last_refusal = e;
      return detail::failure_of(*channel, e);
    });
    if (failure) fail(failure);
  }

  static void fail([[maybe_unused]] const jmpco::error& e) {
#if JMPCO_EXCEPTIONS
    e.rethrow();
#endif
  }

  detail::channel<T>* channel_;
};

}  // namespace jmpco

#endif  // JMPCO_GENERATOR_HPP
