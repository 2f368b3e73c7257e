namespace SourceNet.Package.Tests;

/// <summary>The tests that share one packed package and one restored console project.</summary>
[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackageFeed>
{
    public const string Name = "SourceNet package";
}
