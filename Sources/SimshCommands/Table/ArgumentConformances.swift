import ArgumentParser
import SimotelKit
import SimshLanguage
import SimshRuntime

extension AuthMode: ExpressibleByArgument {}
extension OutputMode: ExpressibleByArgument {}

extension DurationArgument: ExpressibleByArgument {}
extension ByteSizeArgument: ExpressibleByArgument {}
