using System.IO.Compression;
using System.Xml.Linq;

namespace SourceNet.Package.Tests;

/// <summary>What is in the package: the parts a user's build needs, the metadata a gallery shows, and no build-only dependency.</summary>
[Collection(PackageCollection.Name)]
public sealed class PackageLayoutTests(PackageFeed feed)
{
    [Fact]
    public void Package_holds_runtime_and_attributes_in_lib_and_generator_in_analyzers()
    {
        using ZipArchive package = ZipFile.OpenRead(feed.Package);
        var files = package.Entries.Select(e => e.FullName).ToHashSet();
        string[] expected =
        [
            "README.md",
            "lib/net10.0/SourceNet.Runtime.dll", "lib/net10.0/SourceNet.Runtime.xml",
            "lib/net10.0/SourceNet.Attributes.dll", "lib/net10.0/SourceNet.Attributes.xml",
            "analyzers/dotnet/cs/SourceNet.Generator.dll", "analyzers/dotnet/cs/SourceNet.CodeFixes.dll",
        ];
        Assert.Empty(expected.Except(files));
        // Nothing else that a consumer would load: no Roslyn, no PolySharp, no stray assembly.
        Assert.Empty(files.Where(f => f.EndsWith(".dll", StringComparison.Ordinal)).Except(expected));
    }

    [Fact]
    public void Nuspec_names_license_repository_readme_and_only_runtime_dependencies()
    {
        using ZipArchive package = ZipFile.OpenRead(feed.Package);
        using Stream stream = package.GetEntry("SourceNet.nuspec")!.Open();
        XElement metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;

        Assert.Equal("SourceNet", Value("id"));
        Assert.Equal(feed.Version, Value("version"));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("README.md", Value("readme"));
        XElement repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.StartsWith("https://github.com/", (string?)repository.Attribute("url"));
        string[] dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (string)e.Attribute("id")!).ToArray();
        // The runtime's own needs only (tensor primitives; CRC-32 for checkpoints): no build-time package flows to users.
        Assert.Equal(["System.IO.Hashing", "System.Numerics.Tensors"], dependencies.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Symbol_package_holds_the_pdbs_of_the_lib_assemblies()
    {
        using ZipArchive symbols = ZipFile.OpenRead(feed.Symbols);
        var files = symbols.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("lib/net10.0/SourceNet.Runtime.pdb", files);
        Assert.Contains("lib/net10.0/SourceNet.Attributes.pdb", files);
    }
}
