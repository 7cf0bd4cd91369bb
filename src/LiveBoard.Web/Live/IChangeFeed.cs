using LiveBoard.Core;

namespace LiveBoard.Web.Live;

/// <summary>
/// The stream of accepted changes that every open screen follows. Pages, display panels and the public hub
/// consume it; writers publish to it only after their change is committed. The in-process implementation
/// serves one machine; <see cref="RedisChangeFeed"/> carries every change to every instance.
/// </summary>
public interface IChangeFeed
{
    Task PublishAsync(CampaignEvent change, CancellationToken ct = default);

    /// <summary>Calls <paramref name="handler"/> for every event until the returned subscription is disposed.</summary>
    IDisposable Subscribe(Func<CampaignEvent, Task> handler);

    /// <summary>
    /// Whether this instance published <paramref name="change"/> (rather than received it from another instance). A follower
    /// whose output already reaches every instance, such as the hub on its Redis backplane, sends only these.
    /// </summary>
    bool CommittedHere(CampaignEvent change) => true;

    /// <summary>
    /// Tells the feed that <paramref name="changes"/> were written together (one report: a page's save, an API call, an
    /// import of every district's sheet) and are about to be published one by one, in this order. A follower that reloads
    /// for a change (the standings) can then wait for the last of them (<see cref="EndsWrite"/>) instead of loading while
    /// the rest are still being announced, and loading again after them: one import, one update on every screen.
    /// </summary>
    void WrittenTogether(IReadOnlyList<CampaignEvent> changes) { }

    /// <summary>False for a change that more changes of the same write follow (see <see cref="WrittenTogether"/>).</summary>
    bool EndsWrite(CampaignEvent change) => true;
}
