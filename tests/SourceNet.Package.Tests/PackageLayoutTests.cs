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
        // Every diagnostics page, for the help links, and the props that say where they are.
        string[] pages = Directory.GetFiles(Path.Combine(PackageFeed.RepositoryRoot, "docs", "diagnostics"), "SN*.md")
            .Select(p => "docs/diagnostics/" + Path.GetFileName(p)).ToArray();
        Assert.True(pages.Length > 30, $"Only {pages.Length} diagnostics pages found.");
        Assert.Empty(pages.Append("build/SourceNet.props").Except(files));
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
        // The project has no public home yet: no made-up repository or project address.
        Assert.DoesNotContain(metadata.Elements(), e => e.Name.LocalName is "projectUrl" || (e.Name.LocalName == "repository" && e.Attribute("url") is not null));
        string[] dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (string)e.Attribute("id")!).ToArray();
        // The runtime's own needs only (tensor primitives; CRC-32 for checkpoints): no build-time package flows to users.
        Assert.Equal(["System.IO.Hashing", "System.Numerics.Tensors"], dependencies.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Onnx_package_holds_the_exporter_and_depends_on_SourceNet_and_Protobuf_only()
    {
        using ZipArchive package = ZipFile.OpenRead(feed.OnnxPackage);
        var files = package.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Empty(new[] { "README.md", "lib/net10.0/SourceNet.Onnx.dll", "lib/net10.0/SourceNet.Onnx.xml" }.Except(files));
        // The runtime comes from the SourceNet package, protobuf from its own: no copy of either inside.
        Assert.Equal(["lib/net10.0/SourceNet.Onnx.dll"], files.Where(f => f.EndsWith(".dll", StringComparison.Ordinal)).ToArray());

        using Stream stream = package.GetEntry("SourceNet.Onnx.nuspec")!.Open();
        XElement metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        Assert.Equal("SourceNet.Onnx", metadata.Elements().Single(e => e.Name.LocalName == "id").Value);
        Assert.Equal("MIT", metadata.Elements().Single(e => e.Name.LocalName == "license").Value);
        var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => (string)e.Attribute("id")!, e => (string)e.Attribute("version")!);
        // Grpc.Tools (protoc at build time) does not flow to users.
        Assert.Equal(["Google.Protobuf", "SourceNet"], dependencies.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(feed.Version, dependencies["SourceNet"]);
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
