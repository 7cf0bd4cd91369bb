using System.Net.Http.Json;
using LiveBoard.Core.Campaigns;
using LiveBoard.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Testing;

/// <summary>Business-environment grades entered through the API, as an organiser enters them, for the wall's grade views.</summary>
public static class DemoGrades
{
    /// <summary>Grades <paramref name="district"/> for 2023Q2 on the first indicators, one grade (好/较好/一般) each, in order.</summary>
    public static async Task PutAsync(LiveBoardHost host, Uri root, string district, params string[] grades)
    {
        string[] indicators;
        await using (var db = await host.DbAsync())
            indicators = await db.Indicators.Where(i => i.Category == IndicatorCategory.BusinessEnvironment)
                .OrderBy(i => i.SortOrder).Select(i => i.Code).Take(grades.Length).ToArrayAsync();
        using var organiser = await ApiClients.SignedInAsync(root, DemoAccounts.Organiser, DemoAccounts.DefaultPassword);
        for (var i = 0; i < indicators.Length; i++)
        {
            var put = await organiser.PutAsync("api/v1/grades", JsonContent.Create(new { district, indicator = indicators[i], quarter = "2023Q2", grade = grades[i] }));
            if (!put.IsSuccessStatusCode) throw new InvalidOperationException($"grade refused: {await put.Content.ReadAsStringAsync()}");
        }
    }
}
