using System.Globalization;
using System.Text.Json;
using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Inspection;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Admin;
using LiveBoard.Web.Features.Reporting;
using LiveBoard.Web.Live;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace LiveBoard.Web.Features.Inspection;

/// <summary>A refused itinerary row: the spreadsheet row (2 = first data row) or 0 for a single edit, the column and why.</summary>
public sealed record SiteRowError(int Row, string Column, string Key);

/// <summary>
/// Organisers' management of the itinerary: sites one by one and as an xlsx workbook (MiniExcel). The workbook uses the
/// columns of the campaign file (district, group, day, order, name, nameEn, plannedInvestment, completedInvestment, status,
/// description), so a city can prepare either. An import is all or nothing; a row's slot (group, day, order) identifies the
/// site it updates; sites not in the workbook stay (removing a site that was scored is a decision, not a side effect).
/// </summary>
public sealed class SiteAdmin(IDbContextFactory<LiveBoardDbContext> dbFactory, IChangeFeed feed, TimeProvider clock)
{
    public static readonly string[] Columns =
        ["district", "group", "day", "order", "name", "nameEn", "plannedInvestment", "completedInvestment", "status", "description"];

    public async Task ExportAsync(Stream output, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var campaign = await db.CurrentCampaignAsync(ct);
        var rows = campaign is null ? [] : (await db.Sites.AsNoTracking().Where(s => s.CampaignId == campaign.Id).ToListAsync(ct))
            .OrderBy(s => s.Day).ThenBy(s => s.TouringGroupId).ThenBy(s => s.RouteOrder)
            .Select(s => new Dictionary<string, object?>
            {
                ["district"] = campaign.Districts.First(d => d.Id == s.DistrictId).Code,
                ["group"] = campaign.TouringGroups.First(g => g.Id == s.TouringGroupId).Code,
                ["day"] = s.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["order"] = s.RouteOrder, ["name"] = s.Name, ["nameEn"] = s.NameEn,
                ["plannedInvestment"] = s.PlannedInvestment, ["completedInvestment"] = s.CompletedInvestment,
                ["status"] = s.Status.ToString(), ["description"] = s.Description,
            }).ToList();
        // An empty itinerary still exports the header row, so the file doubles as the template.
        if (rows.Count == 0) rows.Add(Columns.ToDictionary(c => c, object? (_) => null));
        using var buffer = new MemoryStream();
        await buffer.SaveAsAsync(rows, cancellationToken: ct);
        buffer.Position = 0;
        await buffer.CopyToAsync(output, ct);
    }

    /// <summary>Reads and applies a workbook: all rows or none. Returns the row errors (empty when applied) and how many sites changed.</summary>
    public async Task<(IReadOnlyList<SiteRowError> Errors, int Changed)> ImportAsync(Stream xlsx, string by, string channel, CancellationToken ct = default)
    {
        List<IDictionary<string, object?>> rows;
        try
        {
            using var buffer = new MemoryStream();
            await xlsx.CopyToAsync(buffer, ct);
            buffer.Position = 0;
            rows = buffer.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ([new SiteRowError(0, "file", "Sites_NotXlsx")], 0);
        }
        var entries = new List<(int Row, CampaignFile.SiteEntry Entry)>();
        var errors = new List<SiteRowError>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.Values.All(v => v is null || v.ToString()!.Trim() == "")) continue;
            var (entry, rowErrors) = Parse(i + 2, c => row.TryGetValue(c, out var v) ? v : null);
            errors.AddRange(rowErrors);
            if (entry is not null) entries.Add((i + 2, entry));
        }
        // Codes and slots are checked even when some rows failed to parse, so one upload lists every problem.
        return await SaveAsync(entries, by, channel, ct, errors: errors);
    }

    /// <summary>The error key of an edit made on a version of the site that another organiser has changed since.</summary>
    public const string ChangedMeanwhile = "Sites_ChangedMeanwhile";

    /// <summary>
    /// Creates or updates one site (updates when <paramref name="id"/> is given). An update naming
    /// <paramref name="expectedVersion"/> (the site's version the editor read) is refused with <see cref="ChangedMeanwhile"/>
    /// when the site has changed since, here or on another instance.
    /// </summary>
    public async Task<(IReadOnlyList<SiteRowError> Errors, int Changed)> SaveOneAsync(int? id, CampaignFile.SiteEntry entry, string by, string channel,
        int? expectedVersion = null, CancellationToken ct = default) =>
        await SaveAsync([(0, entry)], by, channel, ct, id, createOnly: id is null, expectedVersion: expectedVersion);

    /// <summary>Removes a site nobody visited or scored. Null: no such site; false: it has visits or scores.</summary>
    // Removed meanwhile by another instance: the retry finds no site.
    public Task<bool?> DeleteAsync(int id, string by, string channel, CancellationToken ct = default) =>
        WriteRace.RetryAsync(() => DeleteOnceAsync(id, by, channel, ct));

    private async Task<bool?> DeleteOnceAsync(int id, string by, string channel, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var site = await db.Sites.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (site is null) return null;
        if (await db.SiteVisits.AnyAsync(v => v.SiteId == id, ct) || await db.SiteScoreSheets.AnyAsync(s => s.SiteId == id, ct)) return false;
        var now = clock.GetUtcNow();
        db.Sites.Remove(site);
        db.AuditEvents.Add(AuditLog.Event(InspectionAudit.SiteRemoved, by, channel, null, now, new { site = id, old = new { site.Name, site.Day, site.RouteOrder }, @new = (object?)null }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        await feed.PublishAsync(new ItineraryChanged(site.CampaignId, 1, by, now), CancellationToken.None);
        return true;
    }

    /// <summary>Checks one row; <paramref name="cell"/> reads a column by name.</summary>
    public static (CampaignFile.SiteEntry? Entry, List<SiteRowError> Errors) Parse(int row, Func<string, object?> cell)
    {
        var errors = new List<SiteRowError>();
        string Text(string c, bool required, int max)
        {
            var v = cell(c)?.ToString()?.Trim() ?? "";
            if (required && v.Length == 0) errors.Add(new SiteRowError(row, c, "Sites_Required"));
            else if (v.Length > max) errors.Add(new SiteRowError(row, c, "Sites_TooLong"));
            return v;
        }
        decimal Number(string c)
        {
            var v = cell(c);
            if (v is double d && double.IsFinite(d) && d is >= 0 and < 1e9) return (decimal)d;
            if (v is decimal m && m >= 0) return m;
            if (v is int or long && Convert.ToDecimal(v, CultureInfo.InvariantCulture) >= 0) return Convert.ToDecimal(v, CultureInfo.InvariantCulture);
            if (v?.ToString() is { } s && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var p) && p >= 0) return p;
            errors.Add(new SiteRowError(row, c, "Sites_Number"));
            return 0;
        }
        var district = Text("district", true, 64);
        var group = Text("group", true, 64);
        var dayCell = cell("day");
        DateOnly day = default;
        if (dayCell is DateTime dt) day = DateOnly.FromDateTime(dt);
        else if (!DateOnly.TryParseExact(dayCell?.ToString()?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
            errors.Add(new SiteRowError(row, "day", "Sites_Day"));
        var order = Number("order");
        if (order != decimal.Truncate(order) || order is < 1 or > 100) errors.Add(new SiteRowError(row, "order", "Sites_Order"));
        var name = Text("name", true, 200);
        var nameEn = Text("nameEn", false, 200);
        var planned = Number("plannedInvestment");
        var completed = Number("completedInvestment");
        var statusText = Text("status", true, 20);
        if (!Enum.TryParse<SiteStatus>(statusText, true, out var status) || !Enum.IsDefined(status))
            errors.Add(new SiteRowError(row, "status", "Sites_Status"));
        var description = Text("description", false, 1000);
        return errors.Count > 0 ? (null, errors)
            : (new CampaignFile.SiteEntry(district, group, day, (int)order, name, nameEn.Length > 0 ? nameEn : name, planned, completed, status, description), errors);
    }

    // A slot (group, day, order) holds one site, decided by the database's unique index: when another instance filled the
    // slot meanwhile, the retry finds it taken (a create is refused as a duplicate slot, an import updates that site).
    // A site's version, a concurrency token, decides between two edits of one site: the loser's UPDATE matches no row, and
    // its retry reads the winner's version (refused when the edit named the version it was made on, else applied on top).
    private Task<(IReadOnlyList<SiteRowError> Errors, int Changed)> SaveAsync(List<(int Row, CampaignFile.SiteEntry Entry)> entries, string by, string channel,
        CancellationToken ct, int? id = null, bool createOnly = false, List<SiteRowError>? errors = null, int? expectedVersion = null) =>
        WriteRace.RetryAsync(() => SaveOnceAsync(entries, by, channel, id, createOnly, errors is null ? null : [.. errors], expectedVersion, ct));

    private async Task<(IReadOnlyList<SiteRowError> Errors, int Changed)> SaveOnceAsync(List<(int Row, CampaignFile.SiteEntry Entry)> entries, string by, string channel,
        int? id, bool createOnly, List<SiteRowError>? errors, int? expectedVersion, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var campaign = await db.CurrentCampaignAsync(ct);
        if (campaign is null) return ([new SiteRowError(0, "campaign", "NoCampaign")], 0);
        errors ??= [];
        foreach (var (row, e) in entries)
        {
            if (campaign.Districts.All(d => d.Code != e.District)) errors.Add(new SiteRowError(row, "district", "Sites_UnknownDistrict"));
            if (campaign.TouringGroups.All(g => g.Code != e.Group)) errors.Add(new SiteRowError(row, "group", "Sites_UnknownGroup"));
            if (e.Day < campaign.StartDate || e.Day > campaign.EndDate) errors.Add(new SiteRowError(row, "day", "Sites_OutsideCampaign"));
        }
        foreach (var dup in entries.GroupBy(x => (x.Entry.Group, x.Entry.Day, x.Entry.Order)).Where(g => g.Count() > 1))
            errors.AddRange(dup.Skip(1).Select(x => new SiteRowError(x.Row, "order", "Sites_DuplicateSlot")));
        if (errors.Count > 0) return (errors, 0);

        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var existing = await db.Sites.Where(s => s.CampaignId == campaign.Id).ToListAsync(ct);
        var changed = 0;
        foreach (var (row, e) in entries)
        {
            var districtId = campaign.Districts.First(d => d.Code == e.District).Id;
            var groupId = campaign.TouringGroups.First(g => g.Code == e.Group).Id;
            var slotTaken = existing.FirstOrDefault(s => s.TouringGroupId == groupId && s.Day == e.Day && s.RouteOrder == e.Order);
            Site? site;
            if (id is { } siteId)
            {
                site = existing.FirstOrDefault(s => s.Id == siteId);
                if (site is null) return ([new SiteRowError(0, "id", "Api_SiteUnknown")], 0);
                if (expectedVersion is { } expected && expected != site.Version) return ([new SiteRowError(0, "expectedVersion", ChangedMeanwhile)], 0);
                if (slotTaken is not null && slotTaken.Id != siteId) return ([new SiteRowError(0, "order", "Sites_DuplicateSlot")], 0);
            }
            else if (createOnly && slotTaken is not null) return ([new SiteRowError(0, "order", "Sites_DuplicateSlot")], 0);
            else site = slotTaken;
            SiteSnapshot? old = site is null ? null : Snapshot(site);
            if (site is null)
            {
                site = new Site { CampaignId = campaign.Id, Name = e.Name, NameEn = e.NameEn };
                db.Sites.Add(site);
                existing.Add(site);
            }
            e.ApplyTo(site, districtId, groupId);
            var @new = Snapshot(site);
            // Record equality compares decimals by value: 32.0 from the database equals 32 read back from the workbook.
            if (old is not null && old == @new) continue;
            if (old is not null) site.Version++;
            changed++;
            db.AuditEvents.Add(AuditLog.Event(old is null ? InspectionAudit.SiteAdded : InspectionAudit.SiteChanged, by, channel, null, now, new { row, version = site.Version, old, @new }));
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (changed > 0) await feed.PublishAsync(new ItineraryChanged(campaign.Id, changed, by, now), CancellationToken.None);
        return ([], changed);
    }

    private sealed record SiteSnapshot(int DistrictId, int TouringGroupId, DateOnly Day, int RouteOrder, string Name, string NameEn,
        decimal PlannedInvestment, decimal CompletedInvestment, SiteStatus Status, string Description);

    private static SiteSnapshot Snapshot(Site s) => new(s.DistrictId, s.TouringGroupId, s.Day, s.RouteOrder, s.Name, s.NameEn,
        s.PlannedInvestment, s.CompletedInvestment, s.Status, s.Description);

}
