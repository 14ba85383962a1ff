// SPDX-License-Identifier: MIT
// Expression evaluation: constants, variables, calls, operators, closures, table constructors.
#include <cmath>

#include "interp_internal.hpp"

namespace replay {

// ---------------------------------------------------------------------------------------------
// Expressions

void Interp::eval_list(const std::vector<ExprPtr>& list, Frame& fr, Values& out) {
  const std::size_t n = list.size();
  for (std::size_t i = 0; i + 1 < n; ++i) out.push_back(eval(*list[i], fr));
  if (n > 0) eval_multi(*list[n - 1], fr, out);
}

void Interp::eval_multi(const Expr& e, Frame& fr, Values& out) {
  switch (e.kind) {
    case ExprKind::Call:
    case ExprKind::Method:
      eval_call(static_cast<const CallExpr&>(e), fr, out);
      return;
    case ExprKind::Vararg:
      for (const Value& v : *fr.varargs) out.push_back(v);
      return;
    default:
      out.push_back(eval(e, fr));
      return;
  }
}

void Interp::prepare_call(const CallExpr& c, Frame& fr, Value& fn, Values& args) {
  if (c.kind == ExprKind::Method) {
    Value obj = eval(*c.function, fr);
    at_line(fr, c.self_line);
    fn = index(obj, c.method, c.function.get());
    if (!tracing()) fr.ci->line = c.line;  // else the call reports its line when it is made
    args.push_back(std::move(obj));
  } else {
    fn = eval(*c.function, fr);
  }
  eval_list(c.args, fr, args);
}

void Interp::eval_call(const CallExpr& c, Frame& fr, Values& out) {
  Value fn;
  Values args;
  prepare_call(c, fr, fn, args);
  at_line(fr, c.line);
  if (out.empty()) {
    call(fn, std::move(args), out, &c.site,
         c.kind == ExprKind::Method ? static_cast<const Expr*>(&c) : c.function.get());
  } else {
    Values results;
    call(fn, std::move(args), results, &c.site,
         c.kind == ExprKind::Method ? static_cast<const Expr*>(&c) : c.function.get());
    for (Value& v : results) out.push_back(std::move(v));
  }
}

Value Interp::eval(const Expr& e, Frame& fr) {
  switch (e.kind) {
    case ExprKind::Nil:
      return Value();
    case ExprKind::True:
      return Value::boolean(true);
    case ExprKind::False:
      return Value::boolean(false);
    case ExprKind::Int:
    case ExprKind::Float:
    case ExprKind::Str:
      return static_cast<const ConstExpr&>(e).value;
    case ExprKind::Vararg:
      return fr.varargs->empty() ? Value() : (*fr.varargs)[0];
    case ExprKind::Function: {
      const Proto& p = *static_cast<const FunctionExpr&>(e).proto;
      // Lua's CLOSURE instruction carries the line of the function's `end`.
      if ((cur_->hook.mask & HookState::kLine) != 0)
        trace_point(fr, p.body.close_line, false, false);
      return make_closure(p, fr);
    }
    case ExprKind::Local:
      return read_local(static_cast<const LocalExpr&>(e).var, fr);
    case ExprKind::Upvalue:
      return fr.closure
          ->upvalues[static_cast<std::size_t>(static_cast<const UpvalueExpr&>(e).index)]
          .cell()
          ->value;
    case ExprKind::Env:
      return fr.closure->env.cell()->value;
    case ExprKind::Global: {
      const Value& name = static_cast<const GlobalExpr&>(e).name;
      const Value& env = fr.closure->env.cell()->value;
      if (env.is_table()) {
        Value v = env.table()->get(name);
        if (!v.is_nil() || env.table()->meta.is_nil()) return v;
      }
      fr.ci->line = e.line;
      Value held = env;  // a metamethod may assign _ENV
      return index(held, name, &kChunkEnv);
    }
    case ExprKind::Index: {
      const auto& ix = static_cast<const IndexExpr&>(e);
      Value obj = eval(*ix.object, fr);
      Value key = eval(*ix.key, fr);
      fr.ci->line = e.line;
      return index(obj, key, ix.object.get());
    }
    case ExprKind::Call:
    case ExprKind::Method: {
      Values out;
      eval_call(static_cast<const CallExpr&>(e), fr, out);
      return out.empty() ? Value() : std::move(out[0]);
    }
    case ExprKind::And: {
      const auto& b = static_cast<const BinaryExpr&>(e);
      Value l = eval(*b.left, fr);
      return l.is_false() ? l : eval(*b.right, fr);
    }
    case ExprKind::Or: {
      const auto& b = static_cast<const BinaryExpr&>(e);
      Value l = eval(*b.left, fr);
      return l.truthy() ? l : eval(*b.right, fr);
    }
    case ExprKind::Binary:
      return eval_binary(static_cast<const BinaryExpr&>(e), fr);
    case ExprKind::Unary:
      return eval_unary(static_cast<const UnaryExpr&>(e), fr);
    case ExprKind::Table:
      return eval_table(static_cast<const TableExpr&>(e), fr);
    case ExprKind::Paren:
      return eval(*static_cast<const ParenExpr&>(e).inner, fr);
  }
  return Value();
}

Value Interp::make_closure(const Proto& p, Frame& fr) {
  auto* f = new Function();
  Value fv = Value::object(f);
  f->proto = &p;
  f->env = fr.closure->env;
  f->stripped = fr.closure->stripped;
  f->upvalues.reserve(p.upvalues.size());
  for (const Proto::UpvalueDesc& d : p.upvalues) {
    if (d.from_parent_local)
      f->upvalues.push_back(fr.slots[d.index]);
    else
      f->upvalues.push_back(fr.closure->upvalues[static_cast<std::size_t>(d.index)]);
  }
  return fv;
}

Value Interp::eval_binary(const BinaryExpr& e, Frame& fr) {
  check_stack(fr.ci->top, 0);  // deep expressions: the C++ stack
  Value a = eval(*e.left, fr);
  Value b = eval(*e.right, fr);
  fr.ci->line = e.line;
  switch (e.op) {
    case BinOp::Eq:
      return Value::boolean(values_equal(a, b));
    case BinOp::Ne:
      return Value::boolean(!values_equal(a, b));
    case BinOp::Lt:
      return Value::boolean(less_than(a, b));
    case BinOp::Le:
      return Value::boolean(less_equal(a, b));
    case BinOp::Gt:
      return Value::boolean(less_than(b, a));
    case BinOp::Ge:
      return Value::boolean(less_equal(b, a));
    case BinOp::Concat:
      return concat(a, b, e.left.get(), e.right.get());
    default:
      return arith(e.op, a, b, e.left.get(), e.right.get());
  }
}

Value Interp::eval_unary(const UnaryExpr& e, Frame& fr) {
  Value a = eval(*e.operand, fr);
  fr.ci->line = e.line;
  switch (e.op) {
    case UnOp::Not:
      return Value::boolean(a.is_false());
    case UnOp::Len:
      return length(a, e.operand.get());
    case UnOp::Neg:
      if (a.is_int())
        return Value::integer(
            static_cast<std::int64_t>(0u - static_cast<std::uint64_t>(a.as_int())));
      if (a.is_float()) return Value::number(-a.as_float());
      {
        Value mm = metamethod(a, "__unm");
        if (mm.is_nil())
          runtime_error(std::string("attempt to perform arithmetic on a ") + obj_type_name(a) +
                        " value" + describe(e.operand.get()));
        Values out;
        call_from_native(mm, Values{a, a}, out, true, metamethod_site("__unm"));
        return out.empty() ? Value() : out[0];
      }
    case UnOp::BNot: {
      std::int64_t i;
      if (a.is_int()) return Value::integer(~a.as_int());
      if (a.is_float()) {
        if (!float_to_int_exact(a.as_float(), i))
          runtime_error("number" + describe(e.operand.get()) + " has no integer representation");
        return Value::integer(~i);
      }
      Value mm = metamethod(a, "__bnot");
      if (mm.is_nil())
        runtime_error(std::string("attempt to perform bitwise operation on a ") + obj_type_name(a) +
                      " value" + describe(e.operand.get()));
      Values out;
      call_from_native(mm, Values{a, a}, out, true, metamethod_site("__bnot"));
      return out.empty() ? Value() : out[0];
    }
  }
  return Value();
}

Value Interp::eval_table(const TableExpr& e, Frame& fr) {
  auto* t = new Table();
  Value tv = Value::object(t);
  std::size_t pi = 0, fi = 0;
  const std::size_t npos = e.positional.size();
  for (bool positional : e.order) {
    if (positional) {
      const Expr& item = *e.positional[pi];
      if (pi + 1 == npos && (item.kind == ExprKind::Call || item.kind == ExprKind::Method ||
                             item.kind == ExprKind::Vararg)) {
        Values rest;
        eval_multi(item, fr, rest);
        for (Value& v : rest) t->array.push_back(std::move(v));
      } else {
        Value v = eval(item, fr);
        if (t->array.size() == pi) {
          t->array.push_back(std::move(v));
        } else {
          t->set_int(static_cast<std::int64_t>(pi) + 1, std::move(v));
        }
      }
      ++pi;
    } else {
      const TableExpr::Field& f = e.fields[fi++];
      Value k = eval(*f.key, fr);
      Value v = eval(*f.value, fr);
      fr.ci->line = f.line;
      if (k.is_nil()) runtime_error("table index is nil");
      if (k.is_float() && std::isnan(k.as_float())) runtime_error("table index is NaN");
      t->set(normalize_key(k), std::move(v));
    }
  }
  return tv;
}

}  // namespace replay
