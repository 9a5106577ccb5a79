"""Recursive-descent parser for the restricted grammar, with explicit length and depth caps.

    expr    := [+|-] term { (+|-) term }
    term    := factor { (\\cdot | \\times | * | / | <implicit>) factor }
    factor  := - factor | + factor | postfix
    postfix := atom { ^exponent | ' }
    atom    := number | symbol[_sub] | (expr) | [expr] | {expr} | |expr| | \\frac{a}{b} | \\sqrt{a}
             | function arg | \\begin{bmatrix} … \\end{bmatrix} | {}^t atom | (A_{ji})_{ij}

The depth counter rises with every nested group, sign, function argument and postfix mark, and the parse stops at
``max_depth`` with "nested too deeply": Python's recursion limit is never reached and the tree's height (hence the
evaluator's recursion) stays bounded. Parsed trees are cached by text: the same reference or answer is parsed once.
"""

from __future__ import annotations

import functools
import math

from grader.textgeom import snippet_at

from .errors import MathParseError, TooLarge
from .lexer import Token, describe, token_pairs, tokenize
from .nodes import Add, Expr, Func, Identity, Indexed, Matrix, Mul, Neg, Num, Pow, Recip, Sym, Transpose
from .scripts import MAX_EXPONENT, builder_rows, classify_subscript, fold_constant, transpose_mark

MAX_LENGTH = 2000
MAX_DEPTH = 100
MAX_IDENTITY = 64  # I_k with a written size: larger ones are refused (an inverse of I_{5000} would take seconds)
MATRIX_ENVIRONMENTS = frozenset({"bmatrix", "pmatrix", "matrix", "Bmatrix", "vmatrix", "smallmatrix"})

_CLOSE = {"(": ")", "[": "]", "{": "}"}
_ATOM_START = frozenset({"num", "ident", "(", "[", "{", "func", "frac", "sqrt", "begin", "text"})
_BRACES = frozenset({"{", "}"})
# Math delimiters around a whole answer, (opening, closing), longest first.
_DELIMITERS = (("$$", "$$"), ("\\[", "\\]"), ("\\(", "\\)"), ("$", "$"))
_TRAILING = " \t\n.,;"  # stripped with str.rstrip: linear, unlike a regex anchored at $


def parse(latex: str, *, max_length: int = MAX_LENGTH, max_depth: int = MAX_DEPTH) -> Expr:
    """The expression tree of ``latex``; raises ``MathParseError`` (``TooLarge`` for the caps)."""
    if not isinstance(latex, str):
        raise TypeError(f"parse() needs a str, not {type(latex).__name__}")
    if len(latex) > max_length:  # checked first: a 1 MB answer costs nothing
        raise TooLarge(f"expression too long ({len(latex)} characters; the limit is {max_length})", latex[:40])
    return _parse_cached(latex, max_length, max_depth)


@functools.lru_cache(maxsize=4096)
def _parse_cached(latex: str, max_length: int, max_depth: int) -> Expr:
    text = latex.strip().rstrip(_TRAILING)  # "$A^T$." as well as "A^T.": a sentence ends, not the expression
    for opening, closing in _DELIMITERS:
        if len(text) >= len(opening) + len(closing) and text.startswith(opening) and text.endswith(closing):
            text = text[len(opening) : len(text) - len(closing)].strip().rstrip(_TRAILING)
            break
    if not text:
        raise MathParseError("could not read this expression: it is empty", "")
    parser = _Parser(text, tokenize(text), max_depth)
    try:
        return parser.parse()
    except RecursionError:  # only reachable with a max_depth far above the default
        raise TooLarge(f"nested too deeply (more than {max_depth} levels)", text[:40]) from None


class _Parser:
    def __init__(self, text: str, tokens: list[Token], max_depth: int) -> None:
        self.text = text
        self.toks = tokens
        self.i = 0
        self.depth = 0
        self.max_depth = max_depth
        self.in_bars = False  # inside |…| a '|' closes instead of starting a new factor
        self.pairs = token_pairs(tokens)

    # --- plumbing -------------------------------------------------------------------------------------------
    def peek(self, ahead: int = 0) -> Token:
        return self.toks[min(self.i + ahead, len(self.toks) - 1)]

    def advance(self) -> Token:
        tok = self.toks[self.i]
        if tok.kind != "eof":
            self.i += 1
        return tok

    def fail(self, message: str, tok: Token | None = None) -> MathParseError:
        tok = tok if tok is not None else self.peek()
        snip = snippet_at(self.text, tok.pos)
        return MathParseError(f"could not read this expression: {message} near '{snip}'", snip)

    def enter(self) -> None:
        self.depth += 1
        if self.depth > self.max_depth:
            snip = snippet_at(self.text, self.peek().pos)
            raise TooLarge(f"nested too deeply (more than {self.max_depth} levels)", snip)

    def leave(self) -> None:
        self.depth -= 1

    # --- grammar --------------------------------------------------------------------------------------------
    def parse(self) -> Expr:
        expr = self.expr()
        tok = self.peek()
        if tok.kind != "eof":
            raise self.fail(f"unexpected {describe(tok)}", tok)
        return expr

    def expr(self) -> Expr:
        self.enter()
        terms = []
        negative = False
        if self.peek().kind in ("+", "-"):
            negative = self.advance().kind == "-"
        term = self.term()
        terms.append(Neg(term) if negative else term)
        while self.peek().kind in ("+", "-"):
            negative = self.advance().kind == "-"
            term = self.term()
            terms.append(Neg(term) if negative else term)
        self.leave()
        return terms[0] if len(terms) == 1 else Add(tuple(terms))

    def term(self) -> Expr:
        factors = [self.factor()]
        while True:
            tok = self.peek()
            if tok.kind == "*":
                self.advance()
                factors.append(self.factor())
            elif tok.kind == "/":
                self.advance()
                factors.append(Recip(self.factor()))
            elif tok.kind in _ATOM_START or (tok.kind == "|" and not self.in_bars):
                factors.append(self.factor())  # implicit multiplication
            else:
                break
        return factors[0] if len(factors) == 1 else Mul(tuple(factors))

    def factor(self) -> Expr:
        tok = self.peek()
        if tok.kind in ("-", "+"):
            self.advance()
            self.enter()
            inner = self.factor()
            self.leave()
            return Neg(inner) if tok.kind == "-" else inner
        return self.postfix()

    def postfix(self) -> Expr:
        node = self.atom()
        layers = 0
        while True:
            tok = self.peek()
            if tok.kind == "^":
                self.advance()
                node = self.superscript(node, tok)
            elif tok.kind == "'" or tok.kind == "transpose":
                self.advance()
                node = Transpose(node)
            elif tok.kind == "_":
                raise self.fail("a subscript on a bracket is only read as a matrix of entries like (A_{ji})_{ij}")
            else:
                return node
            layers += 1
            if self.depth + layers > self.max_depth:  # A'''''… must not build an unbounded tree
                raise TooLarge(f"nested too deeply (more than {self.max_depth} levels)", snippet_at(self.text, tok.pos))

    def atom(self) -> Expr:
        tok = self.advance()
        kind = tok.kind
        if kind == "num":
            value = float(tok.text)
            if not math.isfinite(value):
                raise TooLarge(f"number too large to evaluate ({len(tok.text)} digits)", snippet_at(self.text, tok.pos))
            return Num(value)
        if kind == "ident":
            return self.symbol(tok)
        if kind in ("(", "["):
            return self.builder(self.group(_CLOSE[kind]))
        if kind == "{":
            if self.peek().kind == "}":  # {}^tA: a transpose written in front
                self.advance()
                caret = self.advance()
                if caret.kind != "^":
                    raise self.fail("empty braces", tok)
                return self.prefix_transpose(caret)
            return self.group("}")
        if kind == "^":
            return self.prefix_transpose(tok)
        if kind == "|":
            return self.bars()
        if kind == "func":
            return self.function(tok)
        if kind == "frac":
            self.enter()
            numerator, denominator = self.tex_argument(tok), self.tex_argument(tok)
            self.leave()
            return Recip(denominator) if numerator == Num(1.0) else Mul((numerator, Recip(denominator)))
        if kind == "sqrt":
            if self.peek().kind == "[":
                raise self.fail("n-th roots are not supported", tok)
            self.enter()
            radicand = self.tex_argument(tok)
            self.leave()
            return Func("sqrt", radicand)
        if kind == "begin":
            return self.matrix(tok)
        if kind == "text":
            raise self.fail(f"unsupported text '{tok.text}'", tok)
        raise self.fail(f"unexpected {describe(tok)}", tok)

    def group(self, close: str) -> Expr:
        saved, self.in_bars = self.in_bars, False
        inner = self.expr()
        tok = self.advance()
        if tok.kind != close:
            raise self.fail(f"expected '{close}' but found {describe(tok)}", tok)
        self.in_bars = saved
        return inner

    def bars(self) -> Expr:
        saved, self.in_bars = self.in_bars, True
        inner = self.expr()
        tok = self.advance()
        if tok.kind != "|":
            raise self.fail(f"missing the closing '|' (found {describe(tok)})", tok)
        self.in_bars = saved
        return Func("bars", inner)

    def script_tokens(self) -> list[Token]:
        """The tokens of a sub- or superscript argument (braces dropped), consumed."""
        tok = self.peek()
        if tok.kind == "{":
            close = self.pairs[self.i]
            inner = [t for t in self.toks[self.i + 1 : close] if t.kind not in _BRACES]
            self.i = close + 1
            return inner
        if tok.kind == "eof":
            raise self.fail("missing the argument of a sub- or superscript", tok)
        self.advance()
        return [tok]

    def symbol(self, tok: Token) -> Expr:
        name = tok.text
        if self.peek().kind != "_":
            return Identity() if name == "I" else Sym(name)
        under = self.advance()
        try:
            kind, value = classify_subscript(self.script_tokens())
        except ValueError as exc:
            raise self.fail(str(exc), under) from None
        if kind == "index":
            return Indexed(name, value)
        if name == "I":  # I_3 has a size; I_n, I_d take theirs from the context
            if kind == "number" and not 1 <= value <= MAX_IDENTITY:
                raise TooLarge(f"identity too large to evaluate (I_{value}; the limit is {MAX_IDENTITY})",
                               snippet_at(self.text, under.pos))
            return Identity(value if kind == "number" else None)
        return Sym(f"{name}_{value}")

    def builder(self, inner: Expr) -> Expr:
        """``(A_{ji})_{1 \\leq i,j \\leq d}`` is Aᵀ and ``(C_{ij})`` is C; other brackets are left as they are."""
        if not isinstance(inner, Indexed):
            return inner
        range_tokens = None
        if self.peek().kind == "_":
            self.advance()
            range_tokens = self.script_tokens()
        row = builder_rows(inner.indices, range_tokens)
        if row is None:
            if range_tokens is None:
                return inner
            raise self.fail("unsupported index range")
        base = Identity() if inner.base == "I" else Sym(inner.base)
        return base if inner.indices[0] == row else Transpose(base)

    def superscript(self, base: Expr, caret: Token) -> Expr:
        tok = self.peek()
        if tok.kind == "{":
            close = self.pairs[self.i]
            mark = transpose_mark([t for t in self.toks[self.i + 1 : close] if t.kind not in _BRACES])
            if mark is not None:
                self.i = close + 1
                return Transpose(base) if mark == "T" else Transpose(Pow(base, -1.0))
            self.advance()
            exponent = self.group("}")
        elif tok.kind == "-":  # A^-1, A^-T: not TeX, but students write it and mean ^{-1}, ^{-T}
            nxt = self.peek(1)
            if transpose_mark([nxt]):
                self.i += 2
                return Transpose(Pow(base, -1.0))
            if nxt.kind != "num":
                raise self.fail("unsupported exponent", tok)
            self.i += 2
            exponent = Num(-float(nxt.text))
        elif transpose_mark([tok]):
            self.advance()
            return Transpose(base)
        elif tok.kind == "num":
            self.advance()
            exponent = Num(float(tok.text))
        elif tok.kind == "ident":
            self.advance()
            exponent = Sym(tok.text)
        else:
            raise self.fail(f"unexpected {describe(tok)} after '^'", tok)
        return self.power(base, exponent, caret)

    def power(self, base: Expr, exponent: Expr, caret: Token) -> Expr:
        if isinstance(base, Sym) and base.name == "e":
            return Func("exp", exponent)
        value = fold_constant(exponent)
        if value is None:
            raise self.fail("an exponent must be a number, T or -T", caret)
        if not math.isfinite(value) or abs(value) > MAX_EXPONENT:
            shown = f"{value:.3g}" if math.isfinite(value) else "infinite"
            message = f"exponent too large to evaluate ({shown}; the limit is {MAX_EXPONENT})"
            raise TooLarge(message, snippet_at(self.text, caret.pos))
        return Pow(base, value)

    def prefix_transpose(self, caret: Token) -> Expr:
        mark = transpose_mark(self.script_tokens())
        if mark is None:
            raise self.fail("a superscript needs something before it", caret)
        self.enter()
        operand = self.postfix()
        self.leave()
        return Transpose(operand) if mark == "T" else Transpose(Pow(operand, -1.0))

    def function(self, tok: Token) -> Expr:
        self.enter()
        nxt = self.peek()
        if nxt.kind in _CLOSE:
            self.advance()
            arg = self.group(_CLOSE[nxt.kind])
        elif nxt.kind in _ATOM_START or nxt.kind == "|":
            arg = self.postfix()  # \det X^{-1} is det(X^{-1}); \det X \, X^{-T} is det(X) X^{-T}
        else:
            raise self.fail(f"missing the argument of {describe(tok)}", nxt)
        self.leave()
        if tok.text == "inv":  # \operatorname{inv}(X), \mathrm{inv}(X): numpy's name for the inverse
            return Pow(arg, -1.0)
        return Func(tok.text, arg)

    def tex_argument(self, command: Token) -> Expr:
        """One TeX argument: a braced group or a single token (``\\frac12`` is 1/2)."""
        tok = self.peek()
        if tok.kind == "{":
            self.advance()
            return self.group("}")
        if tok.kind == "num" and len(tok.text) > 1 and tok.text[0].isdigit():
            self.toks[self.i] = Token("num", tok.text[1:], tok.pos + 1)
            return Num(float(tok.text[0]))
        if tok.kind in ("num", "ident"):
            return self.atom()
        raise self.fail(f"missing an argument of {describe(command)}", tok)

    def matrix(self, begin: Token) -> Expr:
        env = begin.text
        if env not in MATRIX_ENVIRONMENTS:
            raise self.fail(f"unsupported environment '{env}'", begin)
        self.enter()
        rows: list[tuple] = []
        row: list[Expr] = []
        while True:
            if self.peek().kind == "end" and not row:  # a trailing \\ before \end
                end = self.advance()
                break
            saved, self.in_bars = self.in_bars, False
            row.append(self.expr())
            self.in_bars = saved
            sep = self.advance()
            if sep.kind == "&":
                continue
            if sep.kind in ("rowsep", "end"):
                rows.append(tuple(row))
                row = []
                if sep.kind == "end":
                    end = sep
                    break
                continue
            if sep.kind == "eof":
                raise self.fail(f"missing \\end{{{env}}}", begin)
            raise self.fail(f"unexpected {describe(sep)} in a matrix", sep)
        if end.text != env:
            raise self.fail(f"\\begin{{{env}}} is closed by \\end{{{end.text}}}", end)
        if not rows:
            raise self.fail("empty matrix", begin)
        if len({len(r) for r in rows}) != 1:
            raise self.fail("the rows of the matrix have different lengths", begin)
        self.leave()
        node = Matrix(tuple(rows))
        return Func("det", node) if env == "vmatrix" else node
