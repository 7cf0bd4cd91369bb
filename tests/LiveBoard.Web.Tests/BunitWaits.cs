using System.Runtime.CompilerServices;
using Bunit;

namespace LiveBoard.Web.Tests;

internal static class BunitWaits
{
    /// <summary>
    /// bUnit gives each WaitForAssertion, WaitForState and WaitForElement one second unless told otherwise. A page that
    /// loads its standings from the database does not always render in a second on two cores busy with the rest of the
    /// suite (a meeting overview waiting for data-live failed so once); a wait ends as soon as its condition holds, so the
    /// longer default costs only a failing test its time.
    /// </summary>
    [ModuleInitializer]
    internal static void LongerDefaultWait() => BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(10);
}
