using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace SourceNet.Generator.Diagnostics;

/// <summary>
/// Every diagnostic SourceNet reports. Ids are stable: never reuse or renumber one. Each has a page at
/// <c>docs/diagnostics/SNxxxx.md</c> and a row in <c>AnalyzerReleases.*.md</c>.
/// </summary>
internal static class DiagnosticDescriptors
{
    public const string UsageCategory = "SourceNet.Usage";
    public const string ShapeCategory = "SourceNet.Shape";
    public const string DifferentiationCategory = "SourceNet.Differentiation";

    public const string ClassNotPartialId = "SN0001";
    public const string NoLayersId = "SN0002";
    public const string NonPositiveUnitsId = "SN0003";
    public const string NonPositiveInputId = "SN0004";
    public const string LossNeedsLinearLastLayerId = "SN0005";
    public const string LossOutputCountId = "SN0006";
    public const string InvalidLayerPropertyId = "SN0007";
    public const string LayerNameConflictId = "SN0008";
    public const string GenericNetworkId = "SN0009";
    public const string NestedNetworkId = "SN0010";
    public const string UnknownCustomActivationId = "SN0011";
    public const string StaticOrAbstractNetworkId = "SN0012";
    public const string MultipleLayerAttributesId = "SN0013";
    public const string InvalidInitializationId = "SN0014";
    public const string DuplicateLayerNameId = "SN0015";
    public const string InvalidInputShapeId = "SN0016";
    public const string DenseNeedsVectorInputId = "SN0017";
    public const string FlattenHasNoEffectId = "SN0018";
    public const string LayerTooLargeId = "SN0019";
    public const string UndefinedEnumValueId = "SN0020";
    public const string MissingLayerAttributeId = "SN0021";
    public const string ActivationWithoutKernelId = "SN0022";
    public const string WindowTooLargeId = "SN0023";
    public const string NonPositiveSizeId = "SN0024";
    public const string InvalidDropoutRateId = "SN0025";
    public const string NeedsImageInputId = "SN0026";
    public const string LossNeedsVectorOutputId = "SN0027";
    public const string ConstructorConflictId = "SN0028";

    // The graph of values (layers naming their inputs, merges) and typed shapes. Numbered from 40 so that
    // ids added beside them for other checks stay free below.
    public const string UnknownLayerInputId = "SN0040";
    public const string LayerInputNotEarlierId = "SN0041";
    public const string MergeShapeMismatchId = "SN0042";
    public const string UnusedLayerOutputId = "SN0043";
    public const string SeveralOutputsId = "SN0044";
    public const string MergeInputCountId = "SN0045";
    public const string NeedsFloatInputId = "SN0046";
    public const string RecurrentNeedsSequenceId = "SN0047";
    public const string RecurrentTooLargeId = "SN0048";
    public const string InvalidForgetBiasId = "SN0049";
    public const string EmbeddingSizeId = "SN0050";
    public const string VocabularyTooSmallId = "SN0051";
    public const string LossLabelsMismatchId = "SN0052";
    public const string EmbeddingNeedsTokensId = "SN0053";

    // State_dict names set with a layer's Name argument.
    public const string InvalidStateDictNameId = "SN0054";
    public const string DuplicateStateDictNameId = "SN0055";

    public const string DifferentiableTypeNotPartialId = "SN0100";
    public const string UnsupportedDifferentiableSignatureId = "SN0101";
    public const string UnsupportedDifferentiableStatementId = "SN0102";
    public const string UnsupportedDifferentiableCallId = "SN0103";
    public const string UnsupportedDifferentiableExpressionId = "SN0104";
    public const string GradientNameConflictId = "SN0105";

    private static DiagnosticDescriptor Error(string id, string category, string title, string message, string description) =>
        new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true, description,
            helpLinkUri: $"docs/diagnostics/{id}.md");

    private static DiagnosticDescriptor Warning(string id, string category, string title, string message, string description) =>
        new(id, title, message, category, DiagnosticSeverity.Warning, isEnabledByDefault: true, description,
            helpLinkUri: $"docs/diagnostics/{id}.md");

    public static readonly DiagnosticDescriptor ClassNotPartial = Error(
        ClassNotPartialId, UsageCategory,
        "Network class must be partial",
        "Network class '{0}' must be declared 'partial' so SourceNet can generate its forward and backward passes",
        "A [Network] class is completed by generated code, which C# only allows for partial classes.");

    public static readonly DiagnosticDescriptor NoLayers = Error(
        NoLayersId, UsageCategory,
        "Network has no layers",
        "Network '{0}' has no layers: add a 'public partial DenseLayer Name {{ get; }}' property with a [Dense(units)] attribute",
        "A network needs at least one layer property to compute anything.");

    public static readonly DiagnosticDescriptor NonPositiveUnits = Error(
        NonPositiveUnitsId, ShapeCategory,
        "Layer size must be positive",
        "Layer '{0}' has {1} units; a layer needs at least 1",
        "The number of units of a layer sets the width of its weight matrix and must be at least 1.");

    public static readonly DiagnosticDescriptor NonPositiveInput = Error(
        NonPositiveInputId, ShapeCategory,
        "Network input size must be positive",
        "Network '{0}' has Input = {1}; set [Network(Input = N)] with N >= 1 (for example 784 for a 28x28 image)",
        "The input size sets the height of the first layer's weight matrix and must be at least 1.");

    public static readonly DiagnosticDescriptor LossNeedsLinearLastLayer = Error(
        LossNeedsLinearLastLayerId, ShapeCategory,
        "Loss does not fit the layer's activation",
        "Layer '{0}' applies {1}, but {2} expects {3}",
        "Softmax cross-entropy applies the softmax itself and must receive raw logits from the last layer.");

    public static readonly DiagnosticDescriptor LossOutputCount = Error(
        LossOutputCountId, ShapeCategory,
        "Loss needs a different number of outputs",
        "{0} needs at least {1} outputs, but the last layer '{2}' has {3}",
        "Softmax cross-entropy classifies into one of the last layer's units, so it needs at least two.");

    public static readonly DiagnosticDescriptor InvalidLayerProperty = Error(
        InvalidLayerPropertyId, UsageCategory,
        "Layer property has an unsupported shape",
        "Layer property '{0}' {1}",
        "A layer is declared as an instance, partial, get-only property of its kind's runtime type (DenseLayer for [Dense], Conv2DLayer for [Conv2D], ...), which the generator implements.");

    public static readonly DiagnosticDescriptor LayerNameConflict = Error(
        LayerNameConflictId, UsageCategory,
        "Name conflicts with a generated member",
        "{0} conflicts with the member '{1}' that SourceNet generates in network '{2}'; rename {3}",
        "The generator adds members such as TrainStep, Predict and Parameters to a network, and constants and fields named after each layer (HiddenUnits, _hidden); neither a layer nor a member written by hand can share their names.");

    public static readonly DiagnosticDescriptor GenericNetwork = Error(
        GenericNetworkId, UsageCategory,
        "Generic network classes are not supported",
        "Network class '{0}' is generic; SourceNet generates code for concrete classes only",
        "A network's dimensions and code are fixed at compile time, so the class cannot have type parameters.");

    public static readonly DiagnosticDescriptor NestedNetwork = Error(
        NestedNetworkId, UsageCategory,
        "Nested network classes are not supported",
        "Network class '{0}' is nested in '{1}'; declare it at namespace level",
        "SourceNet generates networks as top-level classes.");

    public static readonly DiagnosticDescriptor UnknownCustomActivation = Error(
        UnknownCustomActivationId, UsageCategory,
        "Custom activation not found",
        "Layer '{0}' names the custom activation '{1}', but {2}",
        "A custom activation is a static method of the network class, marked [Differentiable], taking and returning one float, whose body the [Differentiable] generator can differentiate.");

    public static readonly DiagnosticDescriptor StaticOrAbstractNetwork = Error(
        StaticOrAbstractNetworkId, UsageCategory,
        "Network class has an unsupported form",
        "Network class '{0}' {1}",
        "The generator adds a constructor and instance state to a plain class: the class cannot be static, abstract or a record, and its name cannot be a C# keyword.");

    public static readonly DiagnosticDescriptor MultipleLayerAttributes = Error(
        MultipleLayerAttributesId, UsageCategory,
        "Property has more than one layer attribute",
        "Property '{0}' has more than one layer attribute; a property is one layer",
        "Each layer property carries exactly one layer attribute.");

    public static readonly DiagnosticDescriptor InvalidInitialization = Error(
        InvalidInitializationId, ShapeCategory,
        "Initialization scale must be a non-negative finite number",
        "Layer '{0}' has {1} = {2}; it must be a finite number >= 0",
        "Weights and biases are drawn from N(0, s²); s must be finite and non-negative.");

    public static readonly DiagnosticDescriptor DuplicateLayerName = Error(
        DuplicateLayerNameId, UsageCategory,
        "Layer names collide",
        "Layers '{0}' and '{1}' would both generate the member '{2}'; give them names that differ by more than the case of the first letter",
        "Each layer's name also names its generated fields and constants (_hidden, HiddenUnits), so two layers need names that stay distinct after that change.");

    public static readonly DiagnosticDescriptor InvalidInputShape = Error(
        InvalidInputShapeId, ShapeCategory,
        "Network input shape is invalid",
        "Network '{0}' has {1}: {2}",
        "InputShape lists the dimensions of one sample (InputSequence those of a sequence, InputTokens its steps); each must be at least 1, their product must fit in an int and, when Input is also set, equal it. Set one of them.");

    public static readonly DiagnosticDescriptor DenseNeedsVectorInput = Error(
        DenseNeedsVectorInputId, ShapeCategory,
        "Dense layer needs a vector input",
        "Layer '{0}' is dense and takes a vector, but its input has shape {1}; set Flatten = true on its [Dense] attribute (or add a [Flatten] layer before it) to flatten the {2} values into one vector",
        "A dense layer multiplies a vector by its weight matrix. Keras would silently apply it to the last axis only; SourceNet asks for an explicit Flatten instead.");

    public static readonly DiagnosticDescriptor FlattenHasNoEffect = Warning(
        FlattenHasNoEffectId, ShapeCategory,
        "Flatten has no effect",
        "Layer '{0}' flattens its input, but it is already a vector of {1} values; remove the flatten",
        "Flatten (a [Flatten] layer, or Flatten = true on a dense layer) only matters where the input is an image.");

    public static readonly DiagnosticDescriptor LayerTooLarge = Error(
        LayerTooLargeId, ShapeCategory,
        "Layer is too large",
        "{0}; make the layer smaller (fewer units or filters, a smaller kernel) or shrink its input first (a pooling layer or a larger stride)",
        "Parameters live in float arrays indexed by int, so a layer's weight matrix, and the network's parameter count, must stay below 2,147,483,648.");

    public static readonly DiagnosticDescriptor UndefinedEnumValue = Error(
        UndefinedEnumValueId, UsageCategory,
        "Value is not a defined member of its enum",
        "{0} is {1}, which is not a member of SourceNet.{2}",
        "A cast such as (Activation)7 compiles but names no activation or loss the generator knows; use one of the enum's named members.");

    public static readonly DiagnosticDescriptor MissingLayerAttribute = Error(
        MissingLayerAttributeId, UsageCategory,
        "Layer property has no layer attribute",
        "Property '{0}' is a partial {1} but has no layer attribute; add one (such as [Dense(units)]) to make it a layer",
        "The generator implements the partial layer properties of a network that carry a layer attribute such as [Dense]; without one it cannot know the layer's size.");

    public static readonly DiagnosticDescriptor ActivationWithoutKernel = Error(
        ActivationWithoutKernelId, UsageCategory,
        "Activation has no kernel",
        "Activation.{0}, used by layer '{1}', has no [ActivationKernel] attribute, so SourceNet does not know how to compute it",
        "Each member of SourceNet.Activation names the runtime type that computes it and its derivative with [ActivationKernel]. A member without one would otherwise silently become the identity.");

    public static readonly DiagnosticDescriptor WindowTooLarge = Error(
        WindowTooLargeId, ShapeCategory,
        "Window is larger than its input",
        "Layer '{0}' has {1}, but its input {2} is {3}; with Valid padding no window fits, so there is no output. Use a smaller window or Padding = Padding.Same",
        "Without padding, a convolution kernel or pooling window must fit inside the input along each axis, or the layer has no output position.");

    public static readonly DiagnosticDescriptor NonPositiveSize = Error(
        NonPositiveSizeId, ShapeCategory,
        "Layer size argument is out of range",
        "Layer '{0}' has {1} = {2}; it must be at least {3}",
        "Filter counts, kernel and pool sizes must be at least 1, and strides at least 1 (a pooling stride of 0 means the pool's own size).");

    public static readonly DiagnosticDescriptor InvalidDropoutRate = Error(
        InvalidDropoutRateId, ShapeCategory,
        "Dropout rate is out of range",
        "Layer '{0}' has a dropout rate of {1}; it must be in [0, 1)",
        "A dropout rate is the probability of dropping a value: 1 would drop everything and scale by infinity.");

    public static readonly DiagnosticDescriptor NeedsImageInput = Error(
        NeedsImageInputId, ShapeCategory,
        "Layer needs an image input",
        "Layer '{0}' is {1} and takes an image (height, width, channels), but its input has shape {2}; place it before any Flatten or Dense layer, and give the network an image input, such as InputShape = new[] {3}",
        "Convolution and pooling slide over the two spatial axes of an image; a vector has none. Declare the network's InputShape as (height, width) or (height, width, channels), and keep these layers before any flatten or dense layer.");

    public static readonly DiagnosticDescriptor LossNeedsVectorOutput = Error(
        LossNeedsVectorOutputId, ShapeCategory,
        "Loss needs a vector output",
        "{0} needs a vector of class scores, but the last layer '{1}' outputs an image {2}; flatten it and add a dense layer",
        "Softmax cross-entropy picks one class per sample from a vector of logits.");

    public static readonly DiagnosticDescriptor DifferentiableTypeNotPartial = Error(
        DifferentiableTypeNotPartialId, UsageCategory,
        "Type of a [Differentiable] method must be partial",
        "'{0}' must be declared 'partial' so SourceNet can add '{1}WithGradient' to it",
        "The gradient companion of a [Differentiable] method is added to the method's type (and every type it is nested in), which C# only allows for partial types.");

    public static readonly DiagnosticDescriptor UnsupportedDifferentiableSignature = Error(
        UnsupportedDifferentiableSignatureId, DifferentiationCategory,
        "[Differentiable] method has an unsupported signature",
        "[Differentiable] method '{0}' {1}",
        "A [Differentiable] method is static and non-generic, has a body, returns float or double, and takes parameters of that same type (or ReadOnlySpan of it) without ref, out or in.");

    public static readonly DiagnosticDescriptor UnsupportedDifferentiableStatement = Error(
        UnsupportedDifferentiableStatementId, DifferentiationCategory,
        "Statement cannot be differentiated",
        "'{0}' cannot be differentiated in '{1}': {2}",
        "The body of a [Differentiable] method is a straight line of local declarations, assignments to locals and a final return; loops, branches and other statements have no compile-time gradient.");

    public static readonly DiagnosticDescriptor UnsupportedDifferentiableCall = Error(
        UnsupportedDifferentiableCallId, DifferentiationCategory,
        "Call cannot be differentiated",
        "The call to '{0}' cannot be differentiated: {1}",
        "SourceNet differentiates Math/MathF functions, SourceNet.ActivationFunctions activations, TensorPrimitives reductions and other [Differentiable] methods; it cannot see into any other call.");

    public static readonly DiagnosticDescriptor UnsupportedDifferentiableExpression = Error(
        UnsupportedDifferentiableExpressionId, DifferentiationCategory,
        "Expression cannot be differentiated",
        "'{0}' cannot be differentiated: {1}",
        "A [Differentiable] method may use + - * /, unary minus, parameters, locals, constants and static fields; branches on values and other expressions have no compile-time gradient.");

    public static readonly DiagnosticDescriptor GradientNameConflict = Error(
        GradientNameConflictId, UsageCategory,
        "Gradient parameter name conflicts with a parameter",
        "The gradient of parameter '{0}' would be named '{1}', which is already a parameter of '{2}'; rename one of them",
        "The companion names the gradient of parameter x 'dX'; no other parameter may already be called that.");

    public static readonly DiagnosticDescriptor UnknownLayerInput = Error(
        UnknownLayerInputId, UsageCategory,
        "Layer input names no layer",
        "Layer '{0}' reads '{1}', which is not a layer of network '{2}'; name an earlier layer with nameof ({3}), or NetworkAttribute.InputName for the network's input",
        "A layer's From argument, and each input of a merge, names the layer whose output it reads. Write it with nameof so that a rename follows.");

    public static readonly DiagnosticDescriptor LayerInputNotEarlier = Error(
        LayerInputNotEarlierId, UsageCategory,
        "Layer reads a later layer",
        "Layer '{0}' reads '{1}', which is declared {2}; layers are computed in declaration order, so a layer reads only layers declared before it: move '{1}' above '{0}'",
        "A network is computed in the order its layer properties are declared. Reading a layer declared later, or the layer itself, would make a cycle.");

    public static readonly DiagnosticDescriptor MergeShapeMismatch = Error(
        MergeShapeMismatchId, ShapeCategory,
        "Merged shapes do not match",
        "Layer '{0}' ({1}) cannot combine {2}: {3}",
        "Add sums values of the same shape; Concatenate joins images of the same height and width (or vectors) along the channel axis.");

    public static readonly DiagnosticDescriptor UnusedLayerOutput = Warning(
        UnusedLayerOutputId, UsageCategory,
        "Layer output is never used",
        "The output of layer '{0}' is never used: no layer reads it, and only the last layer '{1}' is the network's output; remove '{0}' or read it with From or a merge",
        "A network's output is its last layer. A layer that neither feeds another nor is the last is computed for nothing.");

    public static readonly DiagnosticDescriptor SeveralOutputs = Error(
        SeveralOutputsId, ShapeCategory,
        "Network has more than one output",
        "Network '{0}' has {1} outputs ({2}), but {3} trains one: the parameters of '{4}' would never get a gradient; make the last layer read '{4}' (through a merge) or remove it",
        "The loss takes the last layer's output. A layer with parameters that does not reach the last layer is a second output that nothing trains.");

    public static readonly DiagnosticDescriptor MergeInputCount = Error(
        MergeInputCountId, UsageCategory,
        "Merge needs at least two inputs",
        "Layer '{0}' ({1}) names {2}; a merge combines at least two earlier layers: [{1}(nameof(A), nameof(B))]",
        "A merge layer combines the outputs of two or more earlier layers, named with nameof in its attribute.");

    public static readonly DiagnosticDescriptor NeedsFloatInput = Error(
        NeedsFloatInputId, ShapeCategory,
        "Layer needs float input",
        "Layer '{0}' ({1}) takes float values, but its input is {2}; token ids enter a network through an embedding layer",
        "Token ids are integers that index a vocabulary; only an embedding layer reads them. Every other layer computes on floats.");

    public static readonly DiagnosticDescriptor RecurrentNeedsSequence = Error(
        RecurrentNeedsSequenceId, ShapeCategory,
        "Recurrent layer needs a sequence input",
        "Layer '{0}' ({1}) takes a sequence (steps, features), but its input is {2}; {3}",
        "A recurrent layer walks the steps of a sequence. Its input is the network's InputSequence = new[] { steps, features }, or a recurrent layer before it with ReturnSequences = true; a vector or an image has no step axis, and the generator does not guess one.");

    public static readonly DiagnosticDescriptor RecurrentTooLarge = Error(
        RecurrentTooLargeId, ShapeCategory,
        "Recurrent layer too large",
        "Layer '{0}' ({1}) has {2} units on input {3}; its largest tensor would hold {4} values per sample, more than an array holds for a batch",
        "A recurrent layer keeps its weights as [features, gates x units] and its gates as [steps, gates x units] per sample; each must stay well below 2^31 values.");

    public static readonly DiagnosticDescriptor InvalidForgetBias = Error(
        InvalidForgetBiasId, ShapeCategory,
        "Forget bias must be a finite number",
        "Layer '{0}' has ForgetBias = {1}; it must be a finite number (0 is PyTorch's default, 1 Keras's)",
        "ForgetBias is added to the initial forget-gate bias of an LSTM after the uniform draw; an infinite or NaN value would make every step's state infinite or NaN.");

    public static readonly DiagnosticDescriptor EmbeddingSize = Error(
        EmbeddingSizeId, ShapeCategory,
        "Embedding size must be positive",
        "Layer '{0}' has {1} = {2}; an embedding holds at least one token id and one value per vector",
        "[Embedding(vocabulary, dimension)] keeps a table of vocabulary rows of dimension floats: both must be at least 1.");

    public static readonly DiagnosticDescriptor VocabularyTooSmall = Error(
        VocabularyTooSmallId, ShapeCategory,
        "Vocabulary smaller than the declared token ids",
        "Layer '{0}' has a vocabulary of {1} ids, but network '{2}' declares InputVocabulary = {3}: ids {1} to {4} would index past its table; make the vocabulary at least {3}",
        "InputVocabulary says which token ids the network's input holds (0 to InputVocabulary - 1); an embedding reading that input needs a row for each of them.");

    public static readonly DiagnosticDescriptor LossLabelsMismatch = Error(
        LossLabelsMismatchId, ShapeCategory,
        "Loss and output disagree on labels per sample",
        "Network '{0}' trains with {1}, which takes {2}, but its output '{3}' is {4}; {5}",
        "Loss.SoftmaxCrossEntropy takes one label per sample and needs a vector of logits; Loss.SoftmaxCrossEntropyPerStep takes one label per time step and needs a sequence of logits (a dense layer applied to each step).");

    public static readonly DiagnosticDescriptor EmbeddingNeedsTokens = Error(
        EmbeddingNeedsTokensId, ShapeCategory,
        "Embedding needs token ids",
        "Layer '{0}' ({1}) looks up token ids, but its input is {2}; it reads the network's token input: declare [Network(InputTokens = steps)] and make the embedding the first layer",
        "An embedding turns integer token ids into vectors. It reads the network's input declared with InputTokens; every other value in a network is floats.");
    public static readonly DiagnosticDescriptor InvalidStateDictName = Error(
        InvalidStateDictNameId, UsageCategory,
        "State_dict name is not usable",
        "Layer '{0}' has Name = \"{1}\", which is empty or holds whitespace, a quote or a backslash; write the name of the PyTorch module, such as \"fc1\" or \"features.0\"",
        "A layer's Name is the prefix of its tensors in state_dict, safetensors and ONNX files (fc1.weight); those files name tensors with non-empty strings without whitespace.");

    public static readonly DiagnosticDescriptor DuplicateStateDictName = Error(
        DuplicateStateDictNameId, UsageCategory,
        "Two layers have one state_dict name",
        "Layers '{0}' and '{1}' both have the state_dict name '{2}', so their tensors would share names; give one of them another Name",
        "A layer's state_dict name (its Name argument, or the property name with its first letter lower-cased) prefixes its tensors in state_dict, safetensors and ONNX files, which name each tensor once.");

    public static readonly DiagnosticDescriptor ConstructorConflict = Error(
        ConstructorConflictId, UsageCategory,
        "Constructor conflicts with the generated constructor",
        "Constructor '{0}' has the parameters of the constructor that SourceNet generates in network '{1}' ({2}); remove it, or give it other parameters and call this(seed, maxBatchSize) from it",
        "The generator adds a constructor taking the seed and the largest batch; a constructor written by hand with the same parameter types would be declared twice.");

    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = new()
    {
        [ClassNotPartialId] = ClassNotPartial,
        [NoLayersId] = NoLayers,
        [NonPositiveUnitsId] = NonPositiveUnits,
        [NonPositiveInputId] = NonPositiveInput,
        [LossNeedsLinearLastLayerId] = LossNeedsLinearLastLayer,
        [LossOutputCountId] = LossOutputCount,
        [InvalidLayerPropertyId] = InvalidLayerProperty,
        [LayerNameConflictId] = LayerNameConflict,
        [GenericNetworkId] = GenericNetwork,
        [NestedNetworkId] = NestedNetwork,
        [UnknownCustomActivationId] = UnknownCustomActivation,
        [StaticOrAbstractNetworkId] = StaticOrAbstractNetwork,
        [MultipleLayerAttributesId] = MultipleLayerAttributes,
        [InvalidInitializationId] = InvalidInitialization,
        [DuplicateLayerNameId] = DuplicateLayerName,
        [InvalidInputShapeId] = InvalidInputShape,
        [DenseNeedsVectorInputId] = DenseNeedsVectorInput,
        [FlattenHasNoEffectId] = FlattenHasNoEffect,
        [LayerTooLargeId] = LayerTooLarge,
        [UndefinedEnumValueId] = UndefinedEnumValue,
        [MissingLayerAttributeId] = MissingLayerAttribute,
        [ActivationWithoutKernelId] = ActivationWithoutKernel,
        [WindowTooLargeId] = WindowTooLarge,
        [NonPositiveSizeId] = NonPositiveSize,
        [InvalidDropoutRateId] = InvalidDropoutRate,
        [NeedsImageInputId] = NeedsImageInput,
        [LossNeedsVectorOutputId] = LossNeedsVectorOutput,
        [UnknownLayerInputId] = UnknownLayerInput,
        [LayerInputNotEarlierId] = LayerInputNotEarlier,
        [MergeShapeMismatchId] = MergeShapeMismatch,
        [UnusedLayerOutputId] = UnusedLayerOutput,
        [SeveralOutputsId] = SeveralOutputs,
        [MergeInputCountId] = MergeInputCount,
        [NeedsFloatInputId] = NeedsFloatInput,
        [RecurrentNeedsSequenceId] = RecurrentNeedsSequence,
        [RecurrentTooLargeId] = RecurrentTooLarge,
        [InvalidForgetBiasId] = InvalidForgetBias,
        [EmbeddingSizeId] = EmbeddingSize,
        [VocabularyTooSmallId] = VocabularyTooSmall,
        [LossLabelsMismatchId] = LossLabelsMismatch,
        [EmbeddingNeedsTokensId] = EmbeddingNeedsTokens,
        [ConstructorConflictId] = ConstructorConflict,
        [DifferentiableTypeNotPartialId] = DifferentiableTypeNotPartial,
        [UnsupportedDifferentiableSignatureId] = UnsupportedDifferentiableSignature,
        [UnsupportedDifferentiableStatementId] = UnsupportedDifferentiableStatement,
        [UnsupportedDifferentiableCallId] = UnsupportedDifferentiableCall,
        [UnsupportedDifferentiableExpressionId] = UnsupportedDifferentiableExpression,
        [GradientNameConflictId] = GradientNameConflict,
        [InvalidStateDictNameId] = InvalidStateDictName,
        [DuplicateStateDictNameId] = DuplicateStateDictName,
    };

    public static DiagnosticDescriptor ById(string id) => s_byId[id];

    /// <summary>The MSBuild property (made compiler-visible by the package) naming the folder of the diagnostics pages.</summary>
    public const string HelpFolderProperty = "build_property.SourceNetDiagnosticsFolder";

    /// <summary>The folder of the pages from the build's options; null when the build does not set it (a project reference).</summary>
    public static string? HelpFolder(Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider options) =>
        options.GlobalOptions.TryGetValue(HelpFolderProperty, out string? folder) && !string.IsNullOrWhiteSpace(folder) ? folder : null;

    /// <summary>
    /// <paramref name="descriptor"/> with its help link pointing at its page in <paramref name="helpFolder"/>
    /// (a <c>file:</c> URI the IDE opens); the descriptor itself when there is no folder or it is not a rooted path.
    /// </summary>
    public static DiagnosticDescriptor WithHelpFolder(DiagnosticDescriptor descriptor, string? helpFolder)
    {
        if (helpFolder is null || !System.Uri.TryCreate(helpFolder.TrimEnd('/', '\\') + "/" + descriptor.Id + ".md", System.UriKind.Absolute, out System.Uri? page))
        {
            return descriptor;
        }
        return new DiagnosticDescriptor(descriptor.Id, descriptor.Title, descriptor.MessageFormat, descriptor.Category, descriptor.DefaultSeverity,
            descriptor.IsEnabledByDefault, descriptor.Description, page.AbsoluteUri, System.Linq.Enumerable.ToArray(descriptor.CustomTags));
    }

    public static IEnumerable<DiagnosticDescriptor> All => s_byId.Values;
}
