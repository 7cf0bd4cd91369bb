using System.Reflection;
using System.Text.RegularExpressions;
using LiveBoard.Testing;

namespace LiveBoard.Web.Tests.Security;

/// <summary>
/// docs/security.md is what an auditor reads: each threat's test must exist under the name the table gives, and the
/// table must reach every 等保 2.0 level-2 family and say where each ASVS 5.0 chapter stands.
/// </summary>
public sealed partial class SecurityDocumentTests
{
    private static readonly string Document = File.ReadAllText(Path.Combine(TempPaths.RepoRoot(), "docs", "security.md"));

    /// <summary>The rows of the threat → control → test table, split into cells.</summary>
    private static List<string[]> Rows() =>
        Document.Split('\n').SkipWhile(l => !l.StartsWith("| threat |", StringComparison.Ordinal)).Skip(2)
            .TakeWhile(l => l.StartsWith('|')).Select(l => l.Trim().Trim('|').Split(" | ")).ToList();

    [GeneratedRegex(@"`([A-Z][A-Za-z0-9]*)\.([A-Za-z_][A-Za-z0-9_]*)`")]
    private static partial Regex TestName();

    [Fact]
    public void Every_test_the_threat_table_names_exists_under_that_name()
    {
        var rows = Rows();
        Assert.True(rows.Count >= 15, $"the table has {rows.Count} rows");
        var named = rows.SelectMany(r => TestName().Matches(r[2]).Select(m => (Class: m.Groups[1].Value, Method: m.Groups[2].Value))).Distinct().ToList();
        Assert.True(named.Count >= 30, $"the table names {named.Count} tests");
        // This project's tests by reflection; the browser tests (another assembly, not built with this one) by their source.
        var here = typeof(SecurityDocumentTests).Assembly.GetTypes().ToLookup(t => t.Name);
        var browserSources = Directory.GetFiles(Path.Combine(TempPaths.RepoRoot(), "tests", "LiveBoard.Browser.Tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText).ToList();
        var missing = named.Where(n => here[n.Class].Any()
                ? !here[n.Class].Any(t => t.GetMethod(n.Method, BindingFlags.Public | BindingFlags.Instance)?.GetCustomAttributes<FactAttribute>().Any() == true)
                : !browserSources.Any(s => s.Contains($"class {n.Class}", StringComparison.Ordinal) && s.Contains($" {n.Method}(", StringComparison.Ordinal)))
            .Select(n => $"{n.Class}.{n.Method}").ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void The_table_maps_every_level_2_family_of_dengbao_and_the_document_places_every_ASVS_chapter()
    {
        var families = Rows().Select(r => r[^1]).ToList();
        Assert.All(new[] { "身份鉴别", "访问控制", "安全审计", "入侵防范", "数据完整性", "数据备份恢复" },
            family => Assert.True(families.Any(f => f.Contains(family, StringComparison.Ordinal)), $"no row maps {family}"));
        // ASVS 5.0 has 17 chapters: each is in a row of the table or in the list of chapters without one, with the reason.
        var asvs = Rows().Select(r => r[^2]).ToList();
        var unmapped = Document[Document.IndexOf("## ASVS chapters without a row", StringComparison.Ordinal)..];
        Assert.All(Enumerable.Range(1, 17).Select(n => $"V{n} "),
            chapter => Assert.True(asvs.Any(a => a.Contains(chapter, StringComparison.Ordinal)) || unmapped.Contains("- " + chapter, StringComparison.Ordinal),
                $"ASVS {chapter}is neither mapped nor explained"));
    }
}
