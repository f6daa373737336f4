//! A `text` widget's markdown once parsed: lines of spans, each with the
//! theme tone and emphasis it is drawn in, and what was cut to keep a
//! hostile body cheap. A widget parses its markdown once (on first draw,
//! see [`super::TextWidget::parsed`]); each draw only maps tones to styles.

/// Which of the theme's styles a span takes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Tone {
    /// Body text.
    #[default]
    Text,
    /// Headings and code.
    Accent,
    /// Markers, addresses, raw HTML.
    Dim,
}

/// Emphasis on top of a tone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Emphasis {
    /// `Some(true)` adds bold, `Some(false)` takes the tone's bold away.
    pub bold: Option<bool>,
    /// Italic.
    pub italic: bool,
    /// Underlined.
    pub underlined: bool,
    /// Struck through.
    pub crossed: bool,
}

/// A run of text drawn one way; already safe for the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextSpan {
    /// The text.
    pub text: String,
    /// Its tone.
    pub tone: Tone,
    /// Its emphasis.
    pub emphasis: Emphasis,
}

/// What a parse left out, so the widget can say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextCut {
    /// Only the first `kept` bytes of `total` were parsed.
    Size {
        /// Bytes parsed.
        kept: usize,
        /// Bytes in the body.
        total: usize,
    },
    /// Lists or quotes nested deeper than this are drawn at this depth.
    Depth(usize),
    /// Only this many lines are kept.
    Lines(usize),
}

/// The parsed markdown of a text widget.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextDoc {
    /// Lines of spans (an empty line is a gap between blocks).
    pub lines: Vec<Vec<TextSpan>>,
    /// What was cut, in the order it happened.
    pub cuts: Vec<TextCut>,
}
