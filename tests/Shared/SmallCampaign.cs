using System.Text.Json.Nodes;

namespace LiveBoard.Testing;

/// <summary>
/// A small valid campaign file (3 districts, 2 indicators, 1 group, 1 day, 2 sites) as JSON, for tests that break one
/// part of it at a time.
/// </summary>
public static class SmallCampaign
{
    public const string Json = """
        {
          "schemaVersion": 1,
          "code": "chifeng-2024h1",
          "name": "2024年上半年拉练",
          "nameEn": "2024 first-half inspection",
          "city": "赤峰市",
          "cityEn": "Chifeng",
          "startDate": "2024-05-06",
          "endDate": "2024-05-08",
          "timeZone": "Asia/Shanghai",
          "districts": [
            { "code": "hongshan", "name": "红山区", "nameEn": "Hongshan", "shortName": "红山", "shortNameEn": "Hongshan" },
            { "code": "yuanbaoshan", "name": "元宝山区", "nameEn": "Yuanbaoshan", "shortName": "元宝山", "shortNameEn": "Yuanbaoshan" },
            { "code": "songshan", "name": "松山区", "nameEn": "Songshan", "shortName": "松山", "shortNameEn": "Songshan" }
          ],
          "indicators": [
            { "code": "signed", "name": "新签约项目", "nameEn": "Signed projects", "category": "Headline", "unit": "Count", "direction": "HigherIsBetter", "aggregation": "Sum", "target": 60, "weight": 50, "decimals": 0, "plausibleMin": 0, "plausibleMax": 100 },
            { "code": "funds", "name": "招商到位资金", "nameEn": "Funds in place", "category": "Headline", "unit": "HundredMillionYuan", "direction": "HigherIsBetter", "aggregation": "Sum", "target": 30, "weight": 50, "decimals": 1 }
          ],
          "touringGroups": [ { "code": "east", "name": "东线观摩组", "nameEn": "East line" } ],
          "days": [ { "date": "2024-05-06", "title": "第一天", "titleEn": "Day 1" } ],
          "sites": [
            { "district": "hongshan", "group": "east", "day": "2024-05-06", "order": 1, "name": "红山物流园", "nameEn": "Hongshan logistics park", "plannedInvestment": 12.5, "completedInvestment": 3, "status": "Started", "address": "红山区工业园", "plannedArrival": "09:30:00" },
            { "district": "songshan", "group": "east", "day": "2024-05-06", "order": 2, "name": "松山光伏", "nameEn": "Songshan solar", "plannedInvestment": 8, "completedInvestment": 0, "status": "Signed" }
          ],
          "figures": { "hongshan": { "signed": 12, "funds": 4.5 }, "songshan": { "signed": 7 } }
        }
        """;

    public static JsonObject Node() => JsonNode.Parse(Json)!.AsObject();

    /// <summary>The small campaign with one change made by <paramref name="edit"/>, as JSON text.</summary>
    public static string With(Action<JsonObject> edit)
    {
        var node = Node();
        edit(node);
        return node.ToJsonString();
    }
}
