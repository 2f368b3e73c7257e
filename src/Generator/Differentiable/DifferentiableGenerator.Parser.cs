using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
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
    /// <summary>
    /// Syntax and semantics to IR. The body must be straight-line code: each local declaration or assignment
    /// binds a name to an IR node; the final <c>return</c> names the result. Anything else is reported with
    /// its location, and then no companion is emitted for the method.
    /// </summary>
    internal static class Parser
    {
        private static readonly SymbolDisplayFormat s_fullyQualified = SymbolDisplayFormat.FullyQualifiedFormat;

        public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetNode is LocalFunctionStatementSyntax local)
            {
                // A local function has no type to add a companion to.
                return new ParseResult(string.Empty, string.Empty, EquatableArray<string>.Empty, null, new EquatableArray<DiagnosticInfo>(new[]
                {
                    DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableSignature, local.Identifier.GetLocation(), local.Identifier.ValueText,
                        "is a local function; declare it as a static method of a partial type"),
                }));
            }
            if (context.TargetSymbol is not IMethodSymbol method || context.TargetNode is not MethodDeclarationSyntax syntax)
            {
                return Empty;
            }
            try
            {
                return ParseMethod(method, syntax, context.SemanticModel, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Half-typed code can surprise a walker; the compiler reports the real error, and we stay silent.
                return Empty;
            }
        }

        private static ParseResult Empty { get; } = new(string.Empty, string.Empty, EquatableArray<string>.Empty, null, EquatableArray<DiagnosticInfo>.Empty);

        private static ParseResult ParseMethod(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel model, CancellationToken cancellationToken)
        {
            INamedTypeSymbol type = method.ContainingType;
            string hintName = HintName(MetadataName(type)) + ".Differentiable.g.cs";
            string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : string.Empty;
            var diagnostics = new List<DiagnosticInfo>();
            Location at = syntax.Identifier.GetLocation();

            ParseResult Fail(DiagnosticInfo? diagnostic = null)
            {
                if (diagnostic is not null)
                {
                    diagnostics.Add(diagnostic);
                }
                return new ParseResult(hintName, ns, EquatableArray<string>.Empty, null, diagnostics.ToEquatableArray());
            }

            // The companion is added to every enclosing type, so each must be partial.
            var headers = new List<string>();
            foreach (TypeDeclarationSyntax declaration in syntax.Ancestors().OfType<TypeDeclarationSyntax>().Reverse())
            {
                if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.DifferentiableTypeNotPartial, at, declaration.Identifier.ValueText, method.Name));
                }
                if (declaration.Modifiers.Any(SyntaxKind.FileKeyword))
                {
                    return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableSignature, at, method.Name,
                        $"is in the file-local type '{declaration.Identifier.ValueText}', which generated code (in its own file) cannot extend"));
                }
                headers.Add(TypeHeader(declaration));
            }
            if (headers.Count == 0)
            {
                return Empty;
            }

            // Signature.
            if (method.ReturnType.TypeKind == TypeKind.Error || method.Parameters.Any(static p => p.Type.TypeKind == TypeKind.Error))
            {
                return Empty;
            }
            ScalarType scalar;
            switch (method.ReturnType.SpecialType)
            {
                case SpecialType.System_Single: scalar = ScalarType.Float; break;
                case SpecialType.System_Double: scalar = ScalarType.Double; break;
                default:
                    return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableSignature, syntax.ReturnType.GetLocation(), method.Name,
                        $"returns '{method.ReturnType.ToDisplayString()}'; it must return float or double"));
            }
            if (!method.IsStatic)
            {
                return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableSignature, at, method.Name, "is not static; only static methods can be differentiated"));
            }
            if (method.IsGenericMethod)
            {
                return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableSignature, at, method.Name, "is generic; write it for float or double"));
            }
            if (syntax.Body is null && syntax.ExpressionBody is null)
            {
                return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableSignature, at, method.Name, "has no body to differentiate"));
            }
            if (method.Parameters.Length == 0)
            {
                return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableSignature, at, method.Name, "has no parameters to differentiate with respect to"));
            }

            var builder = new IrBuilder();
            var body = new BodyParser(model, builder, scalar, method.Name, diagnostics, cancellationToken);
            var names = new HashSet<string>(method.Parameters.Select(static p => p.Name), StringComparer.Ordinal);
            for (int i = 0; i < method.Parameters.Length; i++)
            {
                IParameterSymbol parameter = method.Parameters[i];
                Location parameterAt = syntax.ParameterList.Parameters[i].GetLocation();
                bool isSpan = IsSpanOf(parameter.Type, scalar, readOnly: true);
                if (parameter.RefKind != RefKind.None || parameter.IsParams || (!isSpan && !SymbolEqualityComparer.Default.Equals(parameter.Type, method.ReturnType)))
                {
                    return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableSignature, parameterAt, method.Name,
                        $"has parameter '{parameter.Name}' of type '{(parameter.RefKind == RefKind.None ? string.Empty : parameter.RefKind.ToString().ToLowerInvariant() + " ")}{parameter.Type.ToDisplayString()}'; parameters must be '{Keyword(scalar)}' or 'System.ReadOnlySpan<{Keyword(scalar)}>', passed by value"));
                }
                string name = Escape(parameter.Name);
                string gradient = IrBuilder.GradientName(parameter.Name);
                if (names.Contains(gradient))
                {
                    return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.GradientNameConflict, parameterAt, parameter.Name, gradient, method.Name));
                }
                body.Bind(parameter, builder.Parameter(name, isSpan), isSpan);
            }

            cancellationToken.ThrowIfCancellationRequested();
            int result = syntax.Body is not null ? body.Block(syntax.Body) : body.Expression(syntax.ExpressionBody!.Expression);
            if (body.AbortedAt is { } unbound && diagnostics.Count == 0
                && !model.GetDiagnostics(syntax.Span, cancellationToken).Any(static d => d.Severity == DiagnosticSeverity.Error))
            {
                // The code compiles, yet the walker could not bind it (say, a tuple assignment): never stay silent.
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedDifferentiableExpression, unbound.GetLocation(), OneLine(unbound.ToString()),
                    "SourceNet cannot analyse this construct"));
            }
            if (body.Aborted || diagnostics.Count > 0 || result < 0)
            {
                return Fail();
            }

            cancellationToken.ThrowIfCancellationRequested();
            DifferentiableMethodSpec spec = builder.Build(method.Name, scalar, result);
            return new ParseResult(hintName, ns, headers.ToEquatableArray(), spec, EquatableArray<DiagnosticInfo>.Empty);
        }

        private static string TypeHeader(TypeDeclarationSyntax declaration)
        {
            string keyword = declaration switch
            {
                RecordDeclarationSyntax record => record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
                _ => declaration.Keyword.ValueText,
            };
            string prefix = declaration.Modifiers.Any(SyntaxKind.RefKeyword) ? "ref " : string.Empty;
            return $"{prefix}partial {keyword} {declaration.Identifier.ValueText}{declaration.TypeParameterList?.ToString() ?? string.Empty}";
        }

        /// <summary>The type's full metadata name (<c>Ns.Outer+Inner</c>), which is unique per type.</summary>
        private static string MetadataName(INamedTypeSymbol type)
        {
            string name = type.MetadataName;
            for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
            {
                name = outer.MetadataName + "+" + name;
            }
            return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
        }

        /// <summary>The metadata name with characters a hint name cannot hold (file-local types have some) replaced.</summary>
        private static string HintName(string metadataName)
        {
            var name = new StringBuilder(metadataName.Length);
            foreach (char c in metadataName)
            {
                name.Append(char.IsLetterOrDigit(c) || c is '.' or '_' or '-' or '+' or '`' ? c : '_');
            }
            return name.ToString();
        }

        internal static string Keyword(ScalarType scalar) => scalar == ScalarType.Float ? "float" : "double";

        private static string Escape(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

        private static bool IsSpanOf(ITypeSymbol type, ScalarType scalar, bool readOnly) =>
            type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
            && named.ContainingNamespace?.ToDisplayString() == "System"
            && named.Name == (readOnly ? "ReadOnlySpan" : "Span")
            && named.TypeArguments[0].SpecialType == (scalar == ScalarType.Float ? SpecialType.System_Single : SpecialType.System_Double);

        private static bool IsScalar(ITypeSymbol? type, ScalarType scalar) =>
            type?.SpecialType == (scalar == ScalarType.Float ? SpecialType.System_Single : SpecialType.System_Double);

        private static bool IsFloatingPoint(ITypeSymbol? type) =>
            type?.SpecialType is SpecialType.System_Single or SpecialType.System_Double;

        /// <summary>Source text on one line, for comments in the generated code.</summary>
        internal static string OneLine(string text)
        {
            var line = new StringBuilder(text.Length);
            bool space = false;
            foreach (char c in text)
            {
                if (char.IsWhiteSpace(c))
                {
                    space = line.Length > 0;
                    continue;
                }
                if (space)
                {
                    line.Append(' ');
                    space = false;
                }
                line.Append(c);
            }
            return line.ToString();
        }

        /// <summary>Walks one method body, binding each name to the IR node that holds its current value.</summary>
        private sealed class BodyParser
        {
            private readonly SemanticModel _model;
            private readonly IrBuilder _builder;
            private readonly ScalarType _scalar;
            private readonly string _methodName;
            private readonly List<DiagnosticInfo> _diagnostics;
            private readonly CancellationToken _cancellationToken;
            private readonly Dictionary<ISymbol, int> _values = new(SymbolEqualityComparer.Default);
            private readonly HashSet<int> _spans = [];

            public BodyParser(SemanticModel model, IrBuilder builder, ScalarType scalar, string methodName, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
            {
                _model = model;
                _builder = builder;
                _scalar = scalar;
                _methodName = methodName;
                _diagnostics = diagnostics;
                _cancellationToken = cancellationToken;
            }

            /// <summary>Set when some code does not bind (usually half-typed code, which the compiler reports).</summary>
            public bool Aborted => AbortedAt is not null;

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
                    bool last = i == statements.Count - 1;
                    switch (statement)
                    {
                        case LocalDeclarationStatementSyntax declaration when declaration.UsingKeyword.IsKind(SyntaxKind.None):
                            Declaration(declaration);
                            break;
                        case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment }:
                            Assignment(assignment);
                            break;
                        case ReturnStatementSyntax { Expression: { } returned } when last:
                            result = Expression(returned);
                            break;
                        case EmptyStatementSyntax:
                            break;
                        default:
                            UnsupportedStatement(statement);
                            break;
                    }
                }
                return result;
            }

            private void UnsupportedStatement(StatementSyntax statement)
            {
                (string construct, string reason) = statement switch
                {
                    ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax =>
                        (statement.GetFirstToken().ValueText, "loops have no compile-time gradient; write the body for a fixed size, or make the loop body its own [Differentiable] method"),
                    IfStatementSyntax or SwitchStatementSyntax =>
                        (statement.GetFirstToken().ValueText, "branching on a value is not differentiated; use Math.Max/Min, Math.Abs or Functions.Relu for kinks"),
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

                    case ConditionalExpressionSyntax or SwitchExpressionSyntax:
                        return Unsupported(expression, "branching on a value is not differentiated; use Math.Max/Min, Math.Abs or Functions.Relu for kinks");

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
                            ? Unsupported(expression, "a span parameter can only be passed to a TensorPrimitives reduction (Sum, Average, SumOfSquares, SumOfMagnitudes, Norm, Dot, Distance) or asked for its Length")
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

                if (container == "SourceNet.Tensors.Functions")
                {
                    if (OpCatalog.FindFunction(target.Name, arguments.Count) is not { } function || !IsScalar(target.ReturnType, _scalar))
                    {
                        return UnsupportedCall(invocation, display, $"SourceNet knows no derivative for it at '{Keyword(_scalar)}'");
                    }
                    return Apply(function, label, string.Empty, arguments);
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
                    string companion = target.ContainingType.ToDisplayString(s_fullyQualified) + "." + target.Name + "WithGradient";
                    return Apply(OpKind.Call, label, companion, arguments);
                }

                return UnsupportedCall(invocation, display, "SourceNet cannot see into it; mark it [Differentiable] if it is straight-line arithmetic");
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
