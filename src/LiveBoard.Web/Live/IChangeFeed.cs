using LiveBoard.Core;

namespace LiveBoard.Web.Live;

/// <summary>
/// The stream of accepted changes that every open screen follows. Pages, display panels and the public hub
/// consume it; writers publish to it only after their change is committed. The in-process implementation
/// serves one machine; a Redis-backed one can replace it without touching any page.
/// </summary>
public interface IChangeFeed
{
    Task PublishAsync(CampaignEvent change, CancellationToken ct = default);

    /// <summary>Calls <paramref name="handler"/> for every event until the returned subscription is disposed.</summary>
    IDisposable Subscribe(Func<CampaignEvent, Task> handler);
}
