namespace SourceNet.Generator.Emit;

/// <summary>The emitter's naming convention for a layer's members: <c>Hidden</c> has the field <c>_hidden</c>.</summary>
internal static class Names
{
    public static string Field(string layerName) => "_" + Camel(layerName);

    public static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);
}
