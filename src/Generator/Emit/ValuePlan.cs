using System.Collections.Generic;
using System.Globalization;
using SourceNet.Generator.Model;

namespace SourceNet.Generator.Emit;

/// <summary>
/// Where each value of a network lives, planned once per network: every layer that moves data owns an activation
/// buffer (a reshape such as flatten shares its input's), and gradients live in slots that are reused once a
/// value's gradient is dead. It also says, for each input of each layer, whether the backward pass writes
/// dLoss/dInput straight into the value's gradient (its first reader in backward order) or into a scratch buffer
/// that is then added (a value read by several layers: a skip connection).
/// </summary>
internal sealed class ValuePlan
{
    /// <summary>Where a layer's dLoss/dInput for one input goes.</summary>
    /// <param name="Target">The buffer the kind assigns dLoss/dInput to.</param>
    /// <param name="AccumulateInto">When not null, the value's gradient that <see cref="Target"/> (a scratch) is then added to.</param>
    public sealed record InputGradientTarget(string Target, string? AccumulateInto);

    private readonly NetworkSpec _network;
    private readonly int[] _root;
    private readonly bool[] _needsGradient;
    private readonly bool[] _reachesOutput;
    private readonly int[] _slotOf;
    private readonly List<long> _slotSizes = new();
    // Per (layer, input): the slot assigned to, or the scratch index and the slot it is added to. Names are made on
    // request, once the number of slots (which the scratch buffers follow) is final.
    private readonly Dictionary<(int Layer, int Input), (int Slot, int Scratch)> _targets = new();
    private readonly List<long> _scratchSizes = new();

    // The plan of the network being emitted: every part of the emitter asks for it, and one emit runs on one thread.
    [System.ThreadStatic]
    private static ValuePlan? t_last;

    /// <summary>The plan of <paramref name="network"/>, made once per emitted network.</summary>
    public static ValuePlan For(NetworkSpec network)
    {
        ValuePlan? last = t_last;
        if (last is null || !ReferenceEquals(last._network, network))
        {
            t_last = last = new ValuePlan(network);
        }
        return last;
    }

    private ValuePlan(NetworkSpec network)
    {
        _network = network;
        int count = network.Layers.Count;
        _root = new int[count];
        _needsGradient = new bool[count];
        for (int i = 0; i < count; i++)
        {
            LayerSpec layer = network.Layers[i];
            _root[i] = layer.Kind.AliasesInput ? RootOf(layer.InputIndices[0]) : i;
            bool needs = layer.Kind.ParameterCount(layer) > 0;
            foreach (int source in layer.InputIndices)
            {
                // A reshape of the network's input has root -1: nothing below it to train.
                needs |= RootOf(source) >= 0 && _needsGradient[RootOf(source)];
            }
            _needsGradient[i] = needs;
        }

        _reachesOutput = new bool[count];
        _reachesOutput[count - 1] = true;
        for (int i = count - 1; i >= 0; i--)
        {
            if (_reachesOutput[i])
            {
                foreach (int source in network.Layers[i].InputIndices)
                {
                    if (source >= 0)
                    {
                        _reachesOutput[source] = true;
                    }
                }
            }
        }

        _slotOf = new int[count];
        for (int i = 0; i < count; i++)
        {
            _slotOf[i] = -1;
        }
        PlanBackward();
    }

    /// <summary>The network's last layer's index.</summary>
    private int LastIndex => _network.Layers.Count - 1;

    /// <summary>The layer whose activation buffer holds the value <paramref name="index"/> makes; -1: the network's input.</summary>
    public int RootOf(int index) => index < 0 ? -1 : _root[index];

    /// <summary>Whether layer <paramref name="index"/> owns an activation buffer.</summary>
    public bool OwnsActivations(int index) => _root[index] == index;

    /// <summary>Whether the backward pass runs layer <paramref name="index"/>: it moves data, reaches the output, and it
    /// or a layer below it has parameters (so someone needs the gradients it computes).</summary>
    public bool RunsBackward(int index) => OwnsActivations(index) && _reachesOutput[index] && _needsGradient[index];

    /// <summary>The buffer holding the output of layer <paramref name="index"/>; <c>inputs</c> for -1.</summary>
    public string Activations(int index)
    {
        int root = RootOf(index);
        return root < 0 ? "inputs" : Names.Field(_network.Layers[root].Name) + "Activations";
    }

    /// <summary>dLoss/dOutput of layer <paramref name="index"/>: the gradient slot of its value.</summary>
    public string Gradient(int index) => SlotName(_slotOf[RootOf(index)]);

    /// <summary>Where layer <paramref name="index"/> writes dLoss/dInput of its input <paramref name="input"/>; null when nothing below needs it.</summary>
    public InputGradientTarget? InputGradient(int index, int input)
    {
        if (!_targets.TryGetValue((index, input), out (int Slot, int Scratch) target))
        {
            return null;
        }
        return target.Scratch < 0
            ? new InputGradientTarget(SlotName(target.Slot), null)
            : new InputGradientTarget(ScratchName(target.Scratch), SlotName(target.Slot));
    }

    /// <summary>The gradient slots then the scratch buffers: how each is written (<c>_gradients[2]</c>) and its values per sample.</summary>
    public IEnumerable<(string Name, long PerSample)> GradientSlots()
    {
        for (int i = 0; i < _slotSizes.Count; i++)
        {
            yield return (SlotName(i), _slotSizes[i]);
        }
        for (int i = 0; i < _scratchSizes.Count; i++)
        {
            yield return (ScratchName(i), _scratchSizes[i]);
        }
    }

    /// <summary>The slot the loss writes into (the last value's gradient): the only one a forward-only replica needs.</summary>
    public string LossGradient => Gradient(LastIndex);

    /// <summary>Activation values per sample, all buffers together.</summary>
    public long ActivationsPerSample
    {
        get
        {
            long total = 0;
            for (int i = 0; i < _root.Length; i++)
            {
                if (OwnsActivations(i))
                {
                    total += _network.Layers[i].Out.Elements;
                }
            }
            return total;
        }
    }

    /// <summary>Gradient values per sample as planned (slots and scratch).</summary>
    public long GradientsPerSample
    {
        get
        {
            long total = 0;
            foreach ((string _, long size) in GradientSlots())
            {
                total += size;
            }
            return total;
        }
    }

    /// <summary>Gradient values per sample with one buffer per value and no reuse, for comparison.</summary>
    public long GradientsPerSampleWithoutReuse
    {
        get
        {
            long total = 0;
            for (int i = 0; i < _root.Length; i++)
            {
                if (_slotOf[i] >= 0)
                {
                    total += _network.Layers[i].Out.Elements;
                }
            }
            foreach (long scratch in _scratchSizes)
            {
                total += scratch;
            }
            return total;
        }
    }

    /// <summary>
    /// Walks the backward pass (last layer first) once: gives each value's gradient a slot from its first write to
    /// the step that consumes it, reusing freed slots, and decides for each input whether its gradient is assigned or
    /// accumulated through a scratch buffer.
    /// </summary>
    private void PlanBackward()
    {
        var free = new List<int>();
        var written = new bool[_root.Length];
        int lastRoot = RootOf(LastIndex);
        if (lastRoot < 0)
        {
            return; // a network that only reshapes its input: nothing to train (reported by the validator)
        }
        // The loss writes dLoss/dOutput of the last value before the first backward step.
        Allocate(lastRoot, free);
        written[lastRoot] = true;

        for (int j = LastIndex; j >= 0; j--)
        {
            if (!RunsBackward(j))
            {
                continue;
            }
            LayerSpec layer = _network.Layers[j];
            int scratchUsed = 0;
            for (int k = 0; k < layer.InputIndices.Count; k++)
            {
                int root = RootOf(layer.InputIndices[k]);
                if (root < 0 || !_needsGradient[root])
                {
                    continue;
                }
                if (!written[root])
                {
                    Allocate(root, free);
                    written[root] = true;
                    _targets[(j, k)] = (_slotOf[root], -1);
                }
                else
                {
                    // A second reader: its share goes to a scratch buffer, then into the sum.
                    if (scratchUsed == _scratchSizes.Count)
                    {
                        _scratchSizes.Add(0);
                    }
                    _scratchSizes[scratchUsed] = System.Math.Max(_scratchSizes[scratchUsed], _network.Layers[root].Out.Elements);
                    _targets[(j, k)] = (_slotOf[root], scratchUsed);
                    scratchUsed++;
                }
            }
            // This layer's own gradient is dead once its step is done.
            free.Add(_slotOf[j]);
        }
    }

    private void Allocate(int root, List<int> free)
    {
        long size = _network.Layers[root].Out.Elements;
        // Reuse the free slot closest in size (the largest if none is big enough, grown to fit).
        int best = -1;
        for (int i = 0; i < free.Count; i++)
        {
            long candidate = _slotSizes[free[i]];
            if (best < 0)
            {
                best = i;
                continue;
            }
            long current = _slotSizes[free[best]];
            bool fits = candidate >= size, currentFits = current >= size;
            if ((fits && (!currentFits || candidate < current)) || (!fits && !currentFits && candidate > current))
            {
                best = i;
            }
        }
        int slot;
        if (best >= 0)
        {
            slot = free[best];
            free.RemoveAt(best);
            _slotSizes[slot] = System.Math.Max(_slotSizes[slot], size);
        }
        else
        {
            slot = _slotSizes.Count;
            _slotSizes.Add(size);
        }
        _slotOf[root] = slot;
    }

    /// <summary>The field holding every gradient slot: one name, whatever the network, so none can clash with a layer's.</summary>
    public const string GradientsField = "_gradients";

    private static string SlotName(int slot) => GradientsField + "[" + slot.ToString(CultureInfo.InvariantCulture) + "]";

    // Scratch buffers come after the slots in the same array.
    private string ScratchName(int index) => SlotName(_slotSizes.Count + index);
}
