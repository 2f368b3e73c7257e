using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SourceNet.Generator.Diagnostics;
using SourceNet.Generator.Differentiable.Model;
using SourceNet.Generator.Helpers;

namespace SourceNet.Generator.Differentiable;

public sealed partial class DifferentiableGenerator
{
    internal static partial class Parser
    {
        /// <summary>Walks one method body, binding each name to the IR node that holds its current value.</summary>
        private sealed class BodyParser
        {
            private readonly SemanticModel _model;
            private readonly IrBuilder _builder;
            private readonly ScalarType _scalar;
            private readonly string _methodName;
            private readonly List<DiagnosticInfo> _diagnostics;
            private readonly Companions _companions;
            private readonly CancellationToken _cancellationToken;
            private readonly Dictionary<ISymbol, int> _values = new(SymbolEqualityComparer.Default);
            private readonly HashSet<int> _spans = [];

            /// <summary>Indices of the loops being unrolled, with their value in the current copy of the body.</summary>
            private readonly Dictionary<ISymbol, long> _integers = new(SymbolEqualityComparer.Default);

            public BodyParser(SemanticModel model, IrBuilder builder, ScalarType scalar, string methodName, List<DiagnosticInfo> diagnostics, Companions companions, CancellationToken cancellationToken)
            {
                _companions = companions;
                _model = model;
                _builder = builder;
                _scalar = scalar;
                _methodName = methodName;
                _diagnostics = diagnostics;
                _cancellationToken = cancellationToken;
            }

            /// <summary>Set when some code does not bind (usually half-typed code, which the compiler reports).</summary>
            public bool Aborted => AbortedAt is not null || CalleeDoesNotCompile;

            /// <summary>Set when a called [Differentiable] method does not compile yet: it has no companion, and the compiler says why.</summary>
            public bool CalleeDoesNotCompile { get; private set; }

            /// <summary>The first node that did not bind.</summary>
            public SyntaxNode? AbortedAt { get; private set; }

            private void Abort(SyntaxNode node) => AbortedAt ??= node;

            public void Bind(ISymbol symbol, int node, bool isSpan)
            {
                _values[symbol] = node;
                if (isSpan)
                {
                    _spans.Add(node);
                }
            }

            public int Block(BlockSyntax block)
            {
                int result = -1;
                SyntaxList<StatementSyntax> statements = block.Statements;
                for (int i = 0; i < statements.Count; i++)
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                    StatementSyntax statement = statements[i];
                    if (statement is ReturnStatementSyntax { Expression: { } returned } && i == statements.Count - 1)
                    {
                        result = Expression(returned);
                    }
                    else
                    {
                        Statement(statement);
                    }
                }
                return result;
            }

            private void Statement(StatementSyntax statement)
            {
                switch (statement)
                {
                    case LocalDeclarationStatementSyntax declaration when declaration.UsingKeyword.IsKind(SyntaxKind.None):
                        Declaration(declaration);
                        break;
                    case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment }:
                        Assignment(assignment);
                        break;
                    case EmptyStatementSyntax:
                        break;
                    case ForStatementSyntax loop when Unroll(loop):
                        break;
                    default:
                        UnsupportedStatement(statement);
                        break;
                }
            }

            /// <summary>Loops have no gradient, but one with constant bounds is a fixed sequence of statements: unroll it.</summary>
            private const int MaxUnrolledIterations = 256;

            /// <summary>
            /// Unrolls <c>for (int i = start; i &lt; end; i++)</c> (any comparison, <c>++</c>, <c>--</c>, <c>+=</c> or
            /// <c>-=</c> a constant) whose bounds are known now; <c>i</c> is then a constant in each copy of the body.
            /// </summary>
            private bool Unroll(ForStatementSyntax loop)
            {
                if (loop.Declaration is not { Variables: [{ Initializer: { } initializer } variable] } || loop.Initializers.Count > 0
                    || _model.GetDeclaredSymbol(variable, _cancellationToken) is not ILocalSymbol { Type.SpecialType: SpecialType.System_Int32 } index
                    || !TryInteger(initializer.Value, out long value)
                    || loop.Condition is not BinaryExpressionSyntax condition
                    || _model.GetSymbolInfo(condition.Left, _cancellationToken).Symbol is not ILocalSymbol conditionLocal
                    || !SymbolEqualityComparer.Default.Equals(conditionLocal, index)
                    || loop.Incrementors is not [var incrementor]
                    || !TryStep(incrementor, index, out long step))
                {
                    return false;
                }

                _integers[index] = value;
                try
                {
                    if (!TryInteger(condition.Right, out long bound))
                    {
                        return false;
                    }
                    bool Continues(long current) => condition.Kind() switch
                    {
                        SyntaxKind.LessThanExpression => current < bound,
                        SyntaxKind.LessThanOrEqualExpression => current <= bound,
                        SyntaxKind.GreaterThanExpression => current > bound,
                        SyntaxKind.GreaterThanOrEqualExpression => current >= bound,
                        SyntaxKind.NotEqualsExpression => current != bound,
                        _ => false,
                    };

                    int iterations = 0;
                    for (long current = value; Continues(current); current += step)
                    {
                        if (++iterations > MaxUnrolledIterations || step == 0)
                        {
                            _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableStatement, loop.ForKeyword.GetLocation(), "for", _methodName,
                                $"it runs more than {MaxUnrolledIterations} times; unrolling it would bloat the generated code"));
                            return true;
                        }
                        _integers[index] = current;
                        if (loop.Statement is BlockSyntax block)
                        {
                            foreach (StatementSyntax statement in block.Statements)
                            {
                                _cancellationToken.ThrowIfCancellationRequested();
                                Statement(statement);
                            }
                        }
                        else
                        {
                            Statement(loop.Statement);
                        }
                        if (_diagnostics.Count > 0 || Aborted)
                        {
                            return true;
                        }
                    }
                    return true;
                }
                finally
                {
                    _integers.Remove(index);
                }
            }

            private bool TryStep(ExpressionSyntax incrementor, ILocalSymbol index, out long step)
            {
                step = 0;
                ExpressionSyntax? target = incrementor switch
                {
                    PostfixUnaryExpressionSyntax postfix => postfix.Operand,
                    PrefixUnaryExpressionSyntax prefix => prefix.Operand,
                    AssignmentExpressionSyntax assignment => assignment.Left,
                    _ => null,
                };
                if (target is null || !SymbolEqualityComparer.Default.Equals(_model.GetSymbolInfo(target, _cancellationToken).Symbol, index))
                {
                    return false;
                }
                switch (incrementor.Kind())
                {
                    case SyntaxKind.PostIncrementExpression or SyntaxKind.PreIncrementExpression:
                        step = 1;
                        return true;
                    case SyntaxKind.PostDecrementExpression or SyntaxKind.PreDecrementExpression:
                        step = -1;
                        return true;
                    case SyntaxKind.AddAssignmentExpression or SyntaxKind.SubtractAssignmentExpression:
                        Optional<object?> constant = _model.GetConstantValue(((AssignmentExpressionSyntax)incrementor).Right, _cancellationToken);
                        if (constant.Value is int amount)
                        {
                            step = incrementor.IsKind(SyntaxKind.AddAssignmentExpression) ? amount : -amount;
                            return true;
                        }
                        return false;
                    default:
                        return false;
                }
            }

            /// <summary>The value of an integer expression made of constants and unrolled loop indices.</summary>
            private bool TryInteger(ExpressionSyntax expression, out long value)
            {
                value = 0;
                Optional<object?> constant = _model.GetConstantValue(expression, _cancellationToken);
                if (constant.HasValue)
                {
                    if (constant.Value is int or long or short or byte or sbyte or ushort)
                    {
                        value = Convert.ToInt64(constant.Value, CultureInfo.InvariantCulture);
                        return true;
                    }
                    return false;
                }
                switch (expression)
                {
                    case ParenthesizedExpressionSyntax parenthesized:
                        return TryInteger(parenthesized.Expression, out value);
                    case IdentifierNameSyntax when _integers.Count > 0
                        && _model.GetSymbolInfo(expression, _cancellationToken).Symbol is ILocalSymbol local
                        && _integers.TryGetValue(local, out value):
                        return true;
                    case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryMinusExpression) && TryInteger(unary.Operand, out long operand):
                        value = -operand;
                        return true;
                    case BinaryExpressionSyntax binary when _model.GetTypeInfo(binary, _cancellationToken).Type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
                        && TryInteger(binary.Left, out long left) && TryInteger(binary.Right, out long right):
                        switch (binary.Kind())
                        {
                            case SyntaxKind.AddExpression: value = left + right; return true;
                            case SyntaxKind.SubtractExpression: value = left - right; return true;
                            case SyntaxKind.MultiplyExpression: value = left * right; return true;
                            case SyntaxKind.DivideExpression when right != 0: value = left / right; return true;
                            case SyntaxKind.ModuloExpression when right != 0: value = left % right; return true;
                            default: return false;
                        }
                    default:
                        return false;
                }
            }

            private void UnsupportedStatement(StatementSyntax statement)
            {
                (string construct, string reason) = statement switch
                {
                    ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax =>
                        (statement.GetFirstToken().ValueText, "only a 'for' loop over constant bounds, such as for (int i = 0; i < 4; i++), is differentiated (it is unrolled); make the body its own [Differentiable] method and loop over its companion instead"),
                    IfStatementSyntax or SwitchStatementSyntax =>
                        (statement.GetFirstToken().ValueText, "branching on a value is not differentiated; use Math.Max/Min, Math.Abs or ActivationFunctions.ReLU for kinks"),
                    ReturnStatementSyntax => ("return", "only one return, as the last statement, is supported"),
                    _ => (OneLine(statement.GetFirstToken().ValueText), "only local declarations, assignments to locals and a final return are supported"),
                };
                _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableStatement, statement.GetFirstToken().GetLocation(), construct, _methodName, reason));
            }

            private void Declaration(LocalDeclarationStatementSyntax declaration)
            {
                foreach (VariableDeclaratorSyntax variable in declaration.Declaration.Variables)
                {
                    if (_model.GetDeclaredSymbol(variable, _cancellationToken) is not ILocalSymbol local || variable.Initializer is null)
                    {
                        Abort(variable);
                        return;
                    }
                    if (!IsScalar(local.Type, _scalar) && !local.IsConst)
                    {
                        _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableExpression, variable.GetLocation(), OneLine(variable.ToString()),
                            $"local '{local.Name}' is '{local.Type.ToDisplayString()}'; only '{Keyword(_scalar)}' locals (or constants) are differentiated"));
                        continue;
                    }
                    int node = Expression(variable.Initializer.Value);
                    if (node >= 0)
                    {
                        _values[local] = node;
                        _builder.Name(node, $"{variable.Identifier.Text} = {OneLine(variable.Initializer.Value.ToString())}");
                    }
                }
            }

            private void Assignment(AssignmentExpressionSyntax assignment)
            {
                ISymbol? target = _model.GetSymbolInfo(assignment.Left, _cancellationToken).Symbol;
                if (target is null)
                {
                    Abort(assignment);
                    return;
                }
                if (target is not (ILocalSymbol or IParameterSymbol) || !_values.TryGetValue(target, out int current) || _spans.Contains(current))
                {
                    _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableExpression, assignment.GetLocation(), OneLine(assignment.ToString()),
                        "only locals and scalar parameters can be assigned"));
                    return;
                }
                OpKind? compound = assignment.Kind() switch
                {
                    SyntaxKind.SimpleAssignmentExpression => null,
                    SyntaxKind.AddAssignmentExpression => OpKind.Add,
                    SyntaxKind.SubtractAssignmentExpression => OpKind.Subtract,
                    SyntaxKind.MultiplyAssignmentExpression => OpKind.Multiply,
                    SyntaxKind.DivideAssignmentExpression => OpKind.Divide,
                    _ => OpKind.Parameter,
                };
                if (compound == OpKind.Parameter)
                {
                    _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableExpression, assignment.GetLocation(), OneLine(assignment.ToString()),
                        $"the '{assignment.OperatorToken.ValueText}' operator has no gradient"));
                    return;
                }
                int value = Expression(assignment.Right);
                if (value < 0)
                {
                    return;
                }
                string label = OneLine(assignment.ToString());
                int node = compound is { } op ? _builder.Op(op, label, current, value) : value;
                _values[target] = node;
                _builder.Name(node, label);
            }

            /// <summary>The IR node of <paramref name="expression"/>, or -1 after reporting why there is none.</summary>
            public int Expression(ExpressionSyntax expression)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                Optional<object?> constant = _model.GetConstantValue(expression, _cancellationToken);
                if (constant.HasValue && constant.Value is not (null or bool or string or char))
                {
                    return _builder.Constant(Convert.ToDouble(constant.Value, CultureInfo.InvariantCulture));
                }
                if (_integers.Count > 0 && TryInteger(expression, out long integer))
                {
                    // An expression of unrolled loop indices is a constant in this copy of the body.
                    return _builder.Constant(integer);
                }

                switch (expression)
                {
                    case ParenthesizedExpressionSyntax parenthesized:
                        return Expression(parenthesized.Expression);

                    case BinaryExpressionSyntax binary:
                        return Binary(binary);

                    case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryMinusExpression):
                        {
                            int operand = Expression(unary.Operand);
                            return operand < 0 ? -1 : _builder.Op(OpKind.Negate, OneLine(unary.ToString()), operand);
                        }

                    case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryPlusExpression):
                        return Expression(unary.Operand);

                    case CastExpressionSyntax cast:
                        {
                            ITypeSymbol? to = _model.GetTypeInfo(cast.Type, _cancellationToken).Type;
                            if (IsFloatingPoint(to) && _integers.Count > 0 && TryInteger(cast.Expression, out long index))
                            {
                                return _builder.Constant(index);
                            }
                            if (!IsFloatingPoint(to) || !IsFloatingPoint(_model.GetTypeInfo(cast.Expression, _cancellationToken).Type))
                            {
                                return Unsupported(expression, "only casts between float and double are differentiated");
                            }
                            if (_scalar == ScalarType.Double && to!.SpecialType == SpecialType.System_Single)
                            {
                                // Rounding to float inside a double method changes the value; the IR would not.
                                return Unsupported(expression, "it narrows to float inside a double method");
                            }
                            // The IR computes in the method's element type; a cast between float and double is a no-op there.
                            return Expression(cast.Expression);
                        }

                    case IdentifierNameSyntax or MemberAccessExpressionSyntax:
                        return Name(expression);

                    case InvocationExpressionSyntax invocation:
                        return Invocation(invocation);

                    case ElementAccessExpressionSyntax access:
                        return ElementAccess(access);

                    case ConditionalExpressionSyntax or SwitchExpressionSyntax:
                        return Unsupported(expression, "branching on a value is not differentiated; use Math.Max/Min, Math.Abs or ActivationFunctions.ReLU for kinks");

                    default:
                        return Unsupported(expression, "this kind of expression is not differentiated");
                }
            }

            private int Binary(BinaryExpressionSyntax binary)
            {
                OpKind? op = binary.Kind() switch
                {
                    SyntaxKind.AddExpression => OpKind.Add,
                    SyntaxKind.SubtractExpression => OpKind.Subtract,
                    SyntaxKind.MultiplyExpression => OpKind.Multiply,
                    SyntaxKind.DivideExpression => OpKind.Divide,
                    _ => null,
                };
                if (op is null)
                {
                    return Unsupported(binary, $"the '{binary.OperatorToken.ValueText}' operator has no gradient");
                }
                ITypeSymbol? type = _model.GetTypeInfo(binary, _cancellationToken).Type;
                if (type is null || type.TypeKind == TypeKind.Error)
                {
                    Abort(binary);
                    return -1;
                }
                if (_scalar == ScalarType.Float && type.SpecialType == SpecialType.System_Double)
                {
                    // The companion computes in float; doing this step in double would round differently.
                    return Unsupported(binary, "it computes in double inside a float method; cast each Math call's result to float first");
                }
                if (!IsFloatingPoint(type))
                {
                    // Integer arithmetic (division!) would change meaning if recomputed in floating point.
                    return Unsupported(binary, $"it computes in '{type.ToDisplayString()}'; only float and double arithmetic is differentiated");
                }
                int left = Expression(binary.Left);
                int right = Expression(binary.Right);
                return left < 0 || right < 0 ? -1 : _builder.Op(op.Value, OneLine(binary.ToString()), left, right);
            }

            private int Name(ExpressionSyntax expression)
            {
                ISymbol? symbol = _model.GetSymbolInfo(expression, _cancellationToken).Symbol;
                switch (symbol)
                {
                    case null:
                        Abort(expression);
                        return -1;

                    case ILocalSymbol or IParameterSymbol when _values.TryGetValue(symbol, out int node):
                        return _spans.Contains(node)
                            ? Unsupported(expression, "a span parameter can only be indexed at a compile-time index, passed to a TensorPrimitives reduction (Sum, Average, SumOfSquares, SumOfMagnitudes, Norm, Dot, Distance) or asked for its Length")
                            : node;

                    case ILocalSymbol:
                        // Its declaration was already reported (or does not bind); one diagnostic is enough.
                        return -1;

                    case IPropertySymbol { Name: "Length" } when expression is MemberAccessExpressionSyntax access
                        && _model.GetSymbolInfo(access.Expression, _cancellationToken).Symbol is IParameterSymbol parameter
                        && _values.TryGetValue(parameter, out int span) && _spans.Contains(span):
                        return _builder.Op(OpKind.SpanLength, OneLine(expression.ToString()), span);

                    case IFieldSymbol { IsStatic: true } field when IsScalar(field.Type, _scalar):
                        return _builder.External(field.ContainingType.ToDisplayString(s_fullyQualified) + "." + Escape(field.Name), OneLine(expression.ToString()));

                    case IPropertySymbol { IsStatic: true, Parameters.Length: 0 } property when IsScalar(property.Type, _scalar):
                        return _builder.External(property.ContainingType.ToDisplayString(s_fullyQualified) + "." + Escape(property.Name), OneLine(expression.ToString()));

                    default:
                        return Unsupported(expression, $"it reads '{symbol.ToDisplayString()}'; only parameters, locals, constants and static '{Keyword(_scalar)}' fields and properties are differentiated");
                }
            }

            /// <summary><c>x[k]</c> of a span parameter, with <c>k</c> known now (a constant or an unrolled loop's index).</summary>
            private int ElementAccess(ElementAccessExpressionSyntax access)
            {
                if (_model.GetSymbolInfo(access.Expression, _cancellationToken).Symbol is not IParameterSymbol parameter
                    || !_values.TryGetValue(parameter, out int span) || !_spans.Contains(span))
                {
                    return Unsupported(access, "only elements of ReadOnlySpan parameters can be read");
                }
                if (access.ArgumentList.Arguments is not [{ Expression: var argument }] || !TryInteger(argument, out long index) || index < 0 || index > int.MaxValue)
                {
                    return Unsupported(access, "the index must be known at compile time: a constant or the index of a for loop over constant bounds");
                }
                // Label with the index's value: in an unrolled loop, x[c] is x[0], x[1]… in turn.
                return _builder.Element(span, (int)index, $"{OneLine(access.Expression.ToString())}[{index.ToString(CultureInfo.InvariantCulture)}]");
            }

            private int Invocation(InvocationExpressionSyntax invocation)
            {
                if (_model.GetSymbolInfo(invocation, _cancellationToken).Symbol is not IMethodSymbol target)
                {
                    Abort(invocation);
                    return -1;
                }
                string display = target.ContainingType.Name + "." + target.Name;
                SeparatedSyntaxList<ArgumentSyntax> arguments = invocation.ArgumentList.Arguments;
                if (arguments.Any(static a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)))
                {
                    return Unsupported(invocation, "pass arguments by position, without ref, out or in");
                }
                string label = OneLine(invocation.ToString());
                string container = target.ContainingType.ToDisplayString();

                if (container is "System.Math" or "System.MathF")
                {
                    if (OpCatalog.FindMath(target.Name, arguments.Count) is not { } math || !IsFloatingPoint(target.ReturnType))
                    {
                        return UnsupportedCall(invocation, display, "SourceNet knows no derivative for it; supported: Exp, Log, Sqrt, Tanh, Sin, Cos, Abs, Max, Min, Pow on float or double");
                    }
                    // Keep the user's precision: Math.Exp in a float method computes in double, then narrows.
                    bool native = (container == "System.MathF") == (_scalar == ScalarType.Float);
                    return Apply(math, label, native ? string.Empty : "global::" + container, arguments);
                }

                if (container == "SourceNet.ActivationFunctions")
                {
                    // The function's [ActivationFunction] names its runtime kernel, whose interface says what its
                    // derivative reads: the generator knows no activation by name.
                    if (ActivationKernel(target) is not { } kernel || arguments.Count != 1 || !IsScalar(target.ReturnType, _scalar))
                    {
                        return UnsupportedCall(invocation, display, $"SourceNet knows no derivative for it at '{Keyword(_scalar)}'");
                    }
                    return Apply(kernel.Op, label, kernel.Type, arguments);
                }

                if (container == "System.Numerics.Tensors.TensorPrimitives")
                {
                    if (OpCatalog.FindTensorPrimitive(target.Name, arguments.Count) is not { } reduction || !IsScalar(target.ReturnType, _scalar))
                    {
                        return UnsupportedCall(invocation, display, $"the supported TensorPrimitives are Sum, Average, SumOfSquares, SumOfMagnitudes, Norm, Dot and Distance over ReadOnlySpan<{Keyword(_scalar)}> parameters");
                    }
                    int[] spans = new int[arguments.Count];
                    for (int i = 0; i < spans.Length; i++)
                    {
                        if (_model.GetSymbolInfo(arguments[i].Expression, _cancellationToken).Symbol is not IParameterSymbol parameter
                            || !_values.TryGetValue(parameter, out spans[i]) || !_spans.Contains(spans[i]))
                        {
                            return UnsupportedCall(invocation, display, "its arguments must be ReadOnlySpan parameters of the method");
                        }
                    }
                    return _builder.Op(reduction, label, spans);
                }

                if (target.GetAttributes().Any(static a => a.AttributeClass?.ToDisplayString() == AttributeName))
                {
                    if (!target.IsStatic || !IsScalar(target.ReturnType, _scalar) || target.Parameters.Any(p => !IsScalar(p.Type, _scalar) || p.RefKind != RefKind.None))
                    {
                        return UnsupportedCall(invocation, display, $"a [Differentiable] method called from '{_methodName}' must be static and take and return only '{Keyword(_scalar)}'");
                    }
                    // Call a companion only where the generator emits one, so this method's companion always compiles.
                    CompanionVerdict verdict = _companions.Check(target, _cancellationToken);
                    if (!verdict.HasCompanion)
                    {
                        if (verdict.Reason is null)
                        {
                            CalleeDoesNotCompile = true;
                            return -1;
                        }
                        return UnsupportedCall(invocation, display, $"'{target.Name}' cannot be differentiated itself ({verdict.Explanation})");
                    }
                    string companion = target.ContainingType.ToDisplayString(s_fullyQualified) + "." + target.Name + "WithGradient";
                    return Apply(OpKind.Call, label, companion, arguments);
                }

                return UnsupportedCall(invocation, display, "SourceNet cannot see into it; mark it [Differentiable] if it is straight-line arithmetic");
            }

            /// <summary>The kernel a function's <c>[ActivationFunction(typeof(K))]</c> names, and which derivative it offers.</summary>
            private static (OpKind Op, string Type)? ActivationKernel(IMethodSymbol function)
            {
                AttributeData? attribute = function.GetAttributes().FirstOrDefault(static a => a.AttributeClass?.ToDisplayString() == SourceNet.Generator.Model.ActivationSpec.FunctionAttribute);
                if (attribute is null || attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not INamedTypeSymbol kernel)
                {
                    return null;
                }
                string type = kernel.ToDisplayString(s_fullyQualified);
                if (Parsing.ActivationReader.Implements(kernel, SourceNet.Generator.Model.ActivationSpec.PreActivationDerivativeInterface))
                {
                    return (OpKind.ActivationFromPreActivation, type);
                }
                return Parsing.ActivationReader.Implements(kernel, SourceNet.Generator.Model.ActivationSpec.OutputDerivativeInterface)
                    ? (OpKind.ActivationFromOutput, type)
                    : null;
            }

            private int Apply(OpKind op, string label, string text, SeparatedSyntaxList<ArgumentSyntax> arguments)
            {
                int[] args = new int[arguments.Count];
                for (int i = 0; i < args.Length; i++)
                {
                    args[i] = Expression(arguments[i].Expression);
                    if (args[i] < 0)
                    {
                        return -1;
                    }
                }
                return _builder.Op(op, label, text, args);
            }

            private int Unsupported(SyntaxNode node, string reason)
            {
                _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableExpression, node.GetLocation(), OneLine(node.ToString()), reason));
                return -1;
            }

            private int UnsupportedCall(InvocationExpressionSyntax invocation, string name, string reason)
            {
                _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableCall, invocation.GetLocation(), name, reason));
                return -1;
            }
        }
    }
}
