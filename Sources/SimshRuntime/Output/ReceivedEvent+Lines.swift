import SimotelKit
import SimotelWebhooks

extension ReceivedEvent {
    /// What the event is on a line of `--output json`: a component's request or an event.
    public var lineType: LineType { name == ReceivedEvent.componentName ? .request : .event }

    /// The event as a line of `--output json` (and `listen events --format json`): its log
    /// record with `"type"` first.
    public var typedJSON: JSONValue { Output.typed(lineType, json) }
}
