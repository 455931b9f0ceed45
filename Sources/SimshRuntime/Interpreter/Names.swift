import SimshLanguage

/// Foundation has an `Expression` of its own: in this module the name means the script language's.
typealias Expression = SimshLanguage.Expression
