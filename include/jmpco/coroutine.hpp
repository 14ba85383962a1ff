// SPDX-License-Identifier: MIT
// The typed front end: coroutine<Out(In...)>, its yielder, wrap(), and this_coroutine.
//
//   jmpco::coroutine<int(int)> co([](jmpco::yielder<int(int)>& y, int first) {
//     int next = y.yield(first * 2);   // hands 2*first to resume(), receives the next argument
//     return next + 1;                 // the last value resume() returns
//   });
//   co.resume(5).value();  // 10
//   co.resume(7).value();  // 8, and co.status() == jmpco::status::dead
//
// Out is what yield and return hand to the resumer (void for nothing, std::tuple<...> for several
// values); In... are what resume hands in (the body's extra parameters on the first resume, the
// value of yield() afterwards).
#ifndef JMPCO_COROUTINE_HPP
#define JMPCO_COROUTINE_HPP

#include <exception>
#include <new>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

#include "jmpco/allocator.hpp"
#include "jmpco/core.hpp"
#include "jmpco/error.hpp"

namespace jmpco {

namespace detail {
// For a static_assert that fires only when its template is instantiated.
template <class...>
inline constexpr bool dependent_false = false;
}  // namespace detail

// Each front end takes a function type, Out(In...); anything else is a compile error that says so.
template <class Signature>
class coroutine {
  static_assert(detail::dependent_false<Signature>,
                "jmpco::coroutine takes a function type: coroutine<Out(In...)>, e.g. "
                "coroutine<int(int)> or coroutine<void()>");
};
template <class Signature>
class yielder {
  static_assert(detail::dependent_false<Signature>,
                "jmpco::yielder takes the coroutine's function type: yielder<Out(In...)>");
};

namespace this_coroutine {
// Raises an error in the running code: with exceptions it is thrown (what the body threw is
// rethrown as itself, anything else as coroutine_error), so destructors run and a coroutine that
// does not catch it dies with it. Without exceptions it kills the running coroutine with `e` at
// once, or fails fatally on a thread's main context.
[[noreturn]] JMPCO_API void raise(const error& e);
}  // namespace this_coroutine

namespace detail {

// The C++ type of a list of values: nothing, the value itself, or a tuple of them.
template <class... T>
struct values_of {
  using type = std::tuple<T...>;
};
template <>
struct values_of<> {
  using type = void;
};
template <class T>
struct values_of<T> {
  using type = T;
};
template <class... T>
using values_t = typename values_of<std::decay_t<T>...>::type;

// Turns a tuple of received values into values_t (void, T or the tuple itself).
template <class... T>
values_t<T...> unpack(std::tuple<T...>&& values) {
  if constexpr (sizeof...(T) == 1) {
    return std::move(std::get<0>(values));
  } else if constexpr (sizeof...(T) > 1) {
    return std::move(values);
  }
}

// A slot for values of type T, where void takes no room but still records "a value came".
// Empty again after take() even when the value's move throws.
template <class T>
struct slot {
  std::optional<T> value;
  template <class... A>
  void put(A&&... a) {
    value.emplace(std::forward<A>(a)...);
  }
  bool full() const noexcept { return value.has_value(); }
  T take() {
    struct empty_on_exit {
      std::optional<T>& value;
      ~empty_on_exit() { value.reset(); }
    } empty{value};
    return std::move(*value);
  }
  void clear() noexcept { value.reset(); }
};
template <>
struct slot<void> {
  bool filled = false;
  void put() noexcept { filled = true; }
  bool full() const noexcept { return filled; }
  void take() noexcept { filled = false; }
  void clear() noexcept { filled = false; }
};
// The inbox of a coroutine that takes no values: nothing to carry, and no byte of the object.
template <>
struct slot<std::tuple<>> {
  void put() noexcept {}
  std::tuple<> take() noexcept { return {}; }
  void clear() noexcept {}
};

// One address per signature: the tag an untyped yield checks against.
template <class Signature>
struct signature_tag {
  static constexpr char id = 0;
};

template <class Out, class... In>
class channel;
}  // namespace detail

// What a body uses to yield. It is a part of the coroutine object (an empty base of it, so it
// costs no byte), not of a stack, so that its check of who may yield with it never reads a
// suspended stack's bytes: used by any other coroutine (or after its own has died) it fails with
// errc::yield_outside. Only the coroutine object makes one; a body gets it by reference and
// cannot copy it.
template <class Out, class... In>
class yielder<Out(In...)> {
 public:
  using resume_type = detail::values_t<In...>;

  yielder(const yielder&) = delete;
  yielder& operator=(const yielder&) = delete;

  // Hands `out` to the resumer and suspends; returns the arguments of the next resume. On a
  // failure (yield_outside, out_of_memory) raises it: throws, or without exceptions kills the
  // coroutine with it.
  //
  // When the coroutine is closed (or its last handle destroyed) while suspended here, throws
  // forced_unwind so that every destructor on its stack runs. Where an exception is already
  // propagating through the coroutine, throwing would terminate: yield() then returns a
  // value-initialized resume_type instead, and the unwind in progress goes on.
  template <class... V>
  resume_type yield(V&&... out) {
    if constexpr (!makes_out<V...>) {
      return failed_yield(try_yield(std::forward<V>(out)...).code());  // its static_assert says why
    } else {
      // The failure's error object is built out of line: a body's frame, copied on every switch,
      // has no room for it.
      if (errc e = hand_over(std::forward<V>(out)...); e != errc::ok) return failed_yield(e);
      return take_resume_values();
    }
  }

  // As yield(), but returns a failure instead of raising it; the coroutine is still running then.
  // Never throws for the library's sake (only a throwing value move propagates): when the
  // coroutine is closed while suspended here, returns errc::closing, and the code around it
  // should return so that the coroutine's stack unwinds (it can yield no more).
  template <class... V>
  result<resume_type> try_yield(V&&... out) {
    if constexpr (!makes_out<V...>) {
      static_assert(
          detail::dependent_false<V...>,
          "yield's values must make the coroutine's Out type: nothing for a void Out, "
          "else the arguments of an Out constructor (for a std::tuple Out, its elements)");
      return error(errc::type_mismatch);
    } else {
      return yield_values(std::forward<V>(out)...);
    }
  }

 private:
  // Whether yield's values V make an Out.
  template <class... V>
  static constexpr bool makes_out = std::is_void_v<Out> ? sizeof...(V) == 0
                                                        : std::is_constructible_v<Out, V&&...>;

  template <class... V>
  result<resume_type> yield_values(V&&... out) {
    if (errc e = hand_over(std::forward<V>(out)...); e != errc::ok) return error(e);
    if constexpr (std::is_void_v<resume_type>) {
      take_resume_values();
      return result<void>();
    } else {
      return result<resume_type>(std::in_place, take_resume_values());
    }
  }

  friend class detail::channel<Out, In...>;
  yielder() noexcept = default;

  // The coroutine object this yielder is a part of.
  detail::channel<Out, In...>* own_channel() noexcept {
    return static_cast<detail::channel<Out, In...>*>(this);
  }

  // Puts `out` in the outbox and suspends until the next resume: errc::ok, or why not.
  template <class... V>
  errc hand_over(V&&... out) {
    detail::channel<Out, In...>* own = own_channel();
    if (coroutine_core::running() != own) return errc::yield_outside;
    own->outbox.put(std::forward<V>(out)...);
    const errc e = coroutine_core_access::yield();
    if (e != errc::ok) own->outbox.clear();  // not handed over (or, when closing, taken)
    return e;
  }

  resume_type take_resume_values() {
    if constexpr (std::is_void_v<resume_type>) {
      own_channel()->inbox.take();
    } else {
      return detail::unpack(own_channel()->inbox.take());
    }
  }

  // What yield() does when hand_over() failed: unwinds a coroutine being closed, raises the rest.
  JMPCO_NOINLINE static resume_type failed_yield(errc e) {
#if JMPCO_EXCEPTIONS
    if (e == errc::closing) {
      if (std::uncaught_exceptions() == 0) coroutine_core::unwind_for_close();
      if constexpr (std::is_void_v<resume_type>) {
        return;
      } else if constexpr (std::is_default_constructible_v<resume_type>) {
        return resume_type();
      } else {
        detail::fail_fatally(
            "a coroutine closed while suspended in yield() during an unwind has no value to "
            "return: yield with try_yield() where an exception may be propagating");
      }
    }
#endif
    this_coroutine::raise(error(e));
  }

 private:
  // yield_core is protected; the yielder reaches it through this local subclass.
  struct coroutine_core_access : coroutine_core {
    static errc yield() noexcept { return yield_core(); }
  };
};

namespace detail {

// The heap object shared by a handle and its coroutine: the control block, the two mailboxes,
// and the yielder handed to the body. Values always travel through here, never through pointers
// into either side's stack.
template <class Out, class... In>
class channel : public coroutine_core, private yielder<Out(In...)> {
 public:
  channel() noexcept = default;
  const void* signature() const noexcept final { return &signature_tag<Out(In...)>::id; }

  yielder<Out(In...)>& body_yielder() noexcept { return *this; }

  JMPCO_NO_UNIQUE_ADDRESS slot<std::tuple<std::decay_t<In>...>> inbox;  // resume -> coroutine
  // The misuse that last refused a resume: kept here by a front end whose handle holds nothing
  // else (generator), so that the handle stays one pointer.
  errc last_refusal = errc::ok;
  slot<Out> outbox;  // yield/return -> resumer

  using coroutine_core::close_core;
  using coroutine_core::pin;
  using coroutine_core::release;
  using coroutine_core::resume_core;
  using coroutine_core::unpin;

 private:
  friend class yielder<Out(In...)>;  // its own_channel() casts down to here
};

// The body of a coroutine, stored inline in the same allocation as its channel.
template <class F, class Out, class... In>
class body_holder final : public channel<Out, In...> {
 public:
  explicit body_holder(F&& fn) : fn_(std::move(fn)) {}
  explicit body_holder(const F& fn) : fn_(fn) {}

 private:
  void run() override {
    yielder<Out(In...)>& y = this->body_yielder();
    std::apply(
        [&](auto&&... first) {
          using returned = decltype(fn_(y, std::move(first)...));
          if constexpr (std::is_void_v<returned>) {
            fn_(y, std::move(first)...);
          } else {
            this->outbox.put(fn_(y, std::move(first)...));
          }
        },
        this->inbox.take());
  }
  void destroy() noexcept override {
    this->~body_holder();
    deallocate(this, sizeof(body_holder));
  }

  JMPCO_NO_UNIQUE_ADDRESS F fn_;  // a body that captures nothing takes no byte
};

// Builds a body_holder with jmpco's allocator; nullptr when it cannot.
template <class Out, class... In, class F>
channel<Out, In...>* build_channel(F&& fn) {
  using holder = body_holder<std::decay_t<F>, Out, In...>;
  void* memory = allocate(sizeof(holder));
  if (memory == nullptr) return nullptr;
  struct free_unless_built {  // the body's copy or move may throw
    void* memory;
    ~free_unless_built() {
      if (memory != nullptr) deallocate(memory, sizeof(holder));
    }
  } guard{memory};
  auto* built = ::new (memory) holder(std::forward<F>(fn));
  guard.memory = nullptr;
  return built;
}

// Whether F can be the body of a coroutine<Out(In...)>: callable as body(yielder&, In...).
template <class F, class Out, class... In>
inline constexpr bool is_body_v =
    std::is_invocable_v<std::decay_t<F>&, yielder<Out(In...)>&, std::decay_t<In>&&...>;

// Builds the coroutine object for body `fn`, or says at compile time what a body must look like.
template <class Out, class... In, class F>
channel<Out, In...>* make_channel(F&& fn) {
  if constexpr (!is_body_v<F, Out, In...>) {
    static_assert(
        dependent_false<F>,
        "a jmpco body is called as body(jmpco::yielder<Out(In...)>& y, In... in): take "
        "the yielder by reference first, then one parameter per In (none for a generator)");
    return nullptr;
  } else {
    return build_channel<Out, In...>(std::forward<F>(fn));
  }
}

// What a resume_core() outcome means for the resumer: no error, the error the coroutine died
// with, or the misuse that stopped the resume.
inline error failure_of(const coroutine_core& co, errc outcome) noexcept {
  if (outcome == errc::exception || outcome == errc::raised) return co.death();
  return error(outcome);
}

// Resumes `channel` with `in` and hands resume_core()'s outcome to `collect`, which reads the
// mailboxes. The channel is pinned from before the switch until after `collect` on every path,
// a throwing value move included: the body may release its own handle while it runs, and nothing
// but the channel may be touched after the switch. Every front end's resume goes through here.
// Inlined into each front end's resume: it is on every round trip.
template <class Channel, class Collect, class... A>
JMPCO_ALWAYS_INLINE auto resume_pinned(Channel* channel, Collect&& collect, A&&... in) {
  struct pin_guard {
    Channel* channel;
    explicit pin_guard(Channel* c) noexcept : channel(c) { channel->pin(); }
    ~pin_guard() { channel->unpin(); }  // frees it now if its last handle let go while it ran
    pin_guard(const pin_guard&) = delete;
    pin_guard& operator=(const pin_guard&) = delete;
  } pinned(channel);
  channel->inbox.put(std::forward<A>(in)...);
  const errc outcome = channel->resume_core();
  channel->inbox.clear();  // not delivered: a misuse, or it died before taking it
  return collect(outcome);
}

template <class Signature>
struct channel_of;
template <class Out, class... In>
struct channel_of<Out(In...)> {
  using type = channel<Out, In...>;
};

}  // namespace detail

// An owning handle to a coroutine. Destroying the handle of a suspended coroutine closes it.
template <class Out, class... In>
class coroutine<Out(In...)> {
 public:
  using yielder_type = yielder<Out(In...)>;

  coroutine() noexcept = default;
  // `body` is called as body(yielder&, In...) on the first resume. If the coroutine object cannot
  // be allocated the handle is empty and resume() reports errc::empty_handle.
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, coroutine>>>
  explicit coroutine(F&& body) : channel_(detail::make_channel<Out, In...>(std::forward<F>(body))) {
    if constexpr (detail::is_body_v<F, Out, In...>) {
      using returned = std::invoke_result_t<std::decay_t<F>&, yielder_type&, std::decay_t<In>&&...>;
      static_assert(
          std::is_void_v<Out> ? std::is_void_v<returned> : std::is_convertible_v<returned, Out>,
          "the body must return the coroutine's Out type");
    }
  }
  coroutine(coroutine&& other) noexcept : channel_(std::exchange(other.channel_, nullptr)) {}
  coroutine& operator=(coroutine&& other) noexcept {
    if (this != &other) {
      reset();
      channel_ = std::exchange(other.channel_, nullptr);
    }
    return *this;
  }
  ~coroutine() { reset(); }

  explicit operator bool() const noexcept { return channel_ != nullptr; }

  // Runs the coroutine until it yields or finishes; returns what it yielded or returned, or the
  // error it died with, or the misuse that stopped the resume (the coroutine is then unchanged).
  result<Out> resume(In... args) {
    // The body may move, reassign or destroy this very handle while it runs: after the switch
    // only the pinned channel is used, never `this`.
    detail::channel<Out, In...>* channel = channel_;
    if (channel == nullptr) return error(errc::empty_handle);
    return detail::resume_pinned(
        channel, [channel](errc e) { return collect(channel, e); }, std::move(args)...);
  }

  jmpco::status status() const noexcept {
    return channel_ != nullptr ? channel_->status() : jmpco::status::dead;
  }

  // Closes a suspended or dead coroutine, running the destructors of everything on its stack (with
  // exceptions; without, the stack is discarded). Returns the error it died with, if any; closing
  // a running or normal coroutine is an error.
  result<void> close() {
    if (channel_ == nullptr) return result<void>();
    if (error e = channel_->close_core(); e) return e;
    return result<void>();
  }

  // The untyped core, for code that works on any coroutine.
  coroutine_core* core() const noexcept { return channel_; }

 private:
  void reset() noexcept {
    if (channel_ != nullptr) std::exchange(channel_, nullptr)->release();
  }

  static result<Out> collect(detail::channel<Out, In...>* channel, errc e) {
    if (e != errc::ok) return detail::failure_of(*channel, e);
    if constexpr (std::is_void_v<Out>) {
      channel->outbox.take();
      return result<void>();
    } else {
      return result<Out>(std::in_place, channel->outbox.take());
    }
  }

  detail::channel<Out, In...>* channel_ = nullptr;
};

// A callable that resumes a coroutine on each call and raises its errors in the caller, as Lua's
// coroutine.wrap does: with exceptions the error is rethrown; without, it kills the calling
// coroutine with the same error (or fails fatally on a thread's main context).
template <class Signature>
class wrapped {
  static_assert(detail::dependent_false<Signature>,
                "jmpco::wrap takes a function type: wrap<Out(In...)>(body)");
};

template <class Out, class... In>
class wrapped<Out(In...)> {
 public:
  explicit wrapped(coroutine<Out(In...)> co) noexcept : co_(std::move(co)) {}

  Out operator()(In... args) {
    result<Out> r = co_.resume(std::move(args)...);
    if (!r) this_coroutine::raise(r.error());
    if constexpr (!std::is_void_v<Out>) return std::move(r).value();
  }

  jmpco::status status() const noexcept { return co_.status(); }

 private:
  coroutine<Out(In...)> co_;
};

template <class Signature, class F>
wrapped<Signature> wrap(F&& body) {
  return wrapped<Signature>(coroutine<Signature>(std::forward<F>(body)));
}

namespace this_coroutine {

// The running coroutine's untyped core, or nullptr on a thread's main context.
inline coroutine_core* running() noexcept { return coroutine_core::running(); }
inline bool is_yieldable() noexcept { return coroutine_core::is_yieldable(); }

// Yields from anywhere in the running coroutine's call tree without its yielder. The signature is
// checked at run time: errc::type_mismatch if the running coroutine was created with another,
// errc::yield_outside on a thread's main context.
template <class Signature, class... V>
auto try_yield(V&&... out) {
  using resume_type = typename yielder<Signature>::resume_type;
  coroutine_core* co = running();
  if (co == nullptr) return result<resume_type>(error(errc::yield_outside));
  if (co->signature() != &detail::signature_tag<Signature>::id)
    return result<resume_type>(error(errc::type_mismatch));
  return static_cast<typename detail::channel_of<Signature>::type*>(co)->body_yielder().try_yield(
      std::forward<V>(out)...);
}

}  // namespace this_coroutine

}  // namespace jmpco

#endif  // JMPCO_COROUTINE_HPP
