//! The 24-column grid scaled to a terminal: each grid column is 1/24 of
//! the width, each grid row 1-3 terminal rows depending on the terminal's
//! height. Below [`NARROW_WIDTH`] columns widgets are stacked full width in
//! reading order instead of squeezed side by side, at least two terminal
//! rows a grid row (the view scrolls, so a chart keeps a readable height).
//!
//! Positions are on a *canvas* as tall as the dashboard needs (`u32` rows);
//! the screen shows a window of it (see `scroll` in [`super::render`]).

use ratatui::layout::Rect;

use crate::model::dashboard::{Dashboard, GRID_COLUMNS, Widget};

/// Terminals narrower than this stack widgets vertically.
pub const NARROW_WIDTH: u16 = 100;
/// Smallest widget height: border, one line, border.
pub const MIN_WIDGET_ROWS: u32 = 3;
/// Tallest widget drawn, however tall its grid height.
pub const MAX_WIDGET_ROWS: u32 = 200;

/// A widget's place on the canvas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CanvasRect {
    /// Index of the widget in `Dashboard::widgets`.
    pub widget: usize,
    /// Column of the left border.
    pub x: u16,
    /// Canvas row of the top border.
    pub y: u32,
    /// Width in columns.
    pub width: u16,
    /// Height in rows.
    pub height: u16,
}

impl CanvasRect {
    /// One past the last canvas row.
    pub fn bottom(&self) -> u32 {
        self.y + u32::from(self.height)
    }

    /// The part visible in a window of `rows` rows starting at canvas row
    /// `scroll`, placed in `area`, and how many of its rows are cut at its
    /// top; `None` when it is outside.
    pub fn visible(&self, scroll: u32, area: Rect) -> Option<(Rect, u16)> {
        let window_end = scroll.saturating_add(u32::from(area.height));
        if self.bottom() <= scroll || self.y >= window_end || self.x >= area.width {
            return None;
        }
        let top = self.y.max(scroll);
        let bottom = self.bottom().min(window_end);
        let cut = u16::try_from(top - self.y).unwrap_or(u16::MAX);
        let rect = Rect {
            x: area.x + self.x,
            y: area.y + u16::try_from(top - scroll).unwrap_or(u16::MAX),
            width: self.width.min(area.width - self.x),
            height: u16::try_from(bottom - top).unwrap_or(u16::MAX),
        };
        Some((rect, cut))
    }
}

/// Every widget's place and the canvas height.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanvasLayout {
    /// One entry per widget, in reading order.
    pub rects: Vec<CanvasRect>,
    /// Rows the whole dashboard needs.
    pub height: u32,
    /// Whether widgets are stacked (narrow terminal).
    pub stacked: bool,
}

impl CanvasLayout {
    /// The scroll that shows widget `index` in a window of `rows` rows,
    /// moving as little as possible from `scroll`: unchanged when it is
    /// already whole on screen, else its top edge at the window's top (or
    /// its bottom at the bottom when that shows it whole).
    pub fn scroll_to(&self, index: usize, rows: u16, scroll: u32) -> u32 {
        let Some(r) = self.rects.iter().find(|r| r.widget == index) else {
            return scroll;
        };
        let rows = u32::from(rows);
        if r.y >= scroll && r.bottom() <= scroll + rows {
            scroll
        } else if r.y < scroll || u32::from(r.height) > rows {
            r.y
        } else {
            r.bottom() - rows
        }
    }
}

/// Terminal rows per grid row for a screen `height` rows tall.
pub fn rows_per_unit(height: u16) -> u32 {
    u32::from(height / 12).clamp(1, 3)
}

/// Lays `dashboard` out for a screen of `width` x `height`.
pub fn layout(dashboard: &Dashboard, width: u16, height: u16) -> CanvasLayout {
    let stacked = width < NARROW_WIDTH;
    let unit = if stacked {
        rows_per_unit(height).max(2)
    } else {
        rows_per_unit(height)
    };
    let rows_for = |grid_height: u32| {
        let rows = grid_height
            .saturating_mul(unit)
            .clamp(MIN_WIDGET_ROWS, MAX_WIDGET_ROWS);
        u16::try_from(rows).unwrap_or(u16::MAX)
    };
    let order = dashboard.reading_order();
    let rows = (!stacked).then(|| grid_rows(&order, unit));
    let mut rects = Vec::with_capacity(dashboard.widgets.len());
    let mut next_y = 0u32;
    for w in order {
        let r = w.rect;
        let rect = if let Some(rows) = &rows {
            let col = |c: u32| {
                u16::try_from(u64::from(c) * u64::from(width) / u64::from(GRID_COLUMNS))
                    .unwrap_or(width)
            };
            let (left, right) = (col(r.x), col(r.right()));
            let top = rows.canvas_row(r.y);
            let bottom = rows.canvas_row(r.y.saturating_add(r.height));
            CanvasRect {
                widget: w.index,
                x: left,
                y: top,
                width: right.saturating_sub(left).max(1),
                height: u16::try_from((bottom - top).clamp(MIN_WIDGET_ROWS, MAX_WIDGET_ROWS))
                    .unwrap_or(u16::MAX),
            }
        } else {
            let rect = CanvasRect {
                widget: w.index,
                x: 0,
                y: next_y,
                width,
                height: rows_for(r.height),
            };
            next_y = rect.bottom();
            rect
        };
        rects.push(rect);
    }
    let height = rects.iter().map(CanvasRect::bottom).max().unwrap_or(0);
    CanvasLayout {
        rects,
        height,
        stacked,
    }
}

/// Where each grid row edge lands on the canvas: `unit` rows a grid row,
/// stretched where a widget would be shorter than [`MIN_WIDGET_ROWS`] (a
/// `"height": 1` header at one or two rows a grid row), so the widget below
/// it starts under its bottom border instead of on it.
struct GridRows {
    /// Grid row edges (widget tops and bottoms), ascending, with the canvas
    /// row of each.
    edges: Vec<(u32, u32)>,
    unit: u32,
}

impl GridRows {
    /// The canvas row of grid row edge `grid`: exact at an edge, and
    /// `unit` rows a grid row past the nearest edge above it.
    fn canvas_row(&self, grid: u32) -> u32 {
        let i = self.edges.partition_point(|&(g, _)| g <= grid);
        let (g, c) = i.checked_sub(1).map_or((0, 0), |i| self.edges[i]);
        c.saturating_add((grid - g).saturating_mul(self.unit))
    }
}

/// The canvas rows of every widget edge of `widgets` (side by side layout).
fn grid_rows(widgets: &[&Widget], unit: u32) -> GridRows {
    let mut grid: Vec<u32> = widgets
        .iter()
        .flat_map(|w| [w.rect.y, w.rect.y.saturating_add(w.rect.height)])
        .collect();
    grid.sort_unstable();
    grid.dedup();
    let mut rows = GridRows {
        edges: Vec::with_capacity(grid.len()),
        unit,
    };
    for g in grid {
        let mut canvas = rows.canvas_row(g);
        for w in widgets {
            if w.rect.y.saturating_add(w.rect.height) == g {
                canvas = canvas.max(rows.canvas_row(w.rect.y).saturating_add(MIN_WIDGET_ROWS));
            }
        }
        rows.edges.push((g, canvas));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dash(widgets: &str) -> Dashboard {
        Dashboard::parse(&format!("{{\"widgets\": {widgets}}}")).unwrap()
    }

    const TWO_BY_TWO: &str = r#"[
        {"type":"text","x":0,"y":0,"width":12,"height":6,"properties":{"markdown":"a"}},
        {"type":"text","x":12,"y":0,"width":12,"height":6,"properties":{"markdown":"b"}},
        {"type":"text","x":0,"y":6,"width":24,"height":2,"properties":{"markdown":"c"}}
    ]"#;

    #[test]
    fn wide_terminals_scale_the_grid() {
        let l = layout(&dash(TWO_BY_TWO), 120, 35);
        assert!(!l.stacked);
        let at: Vec<_> = l
            .rects
            .iter()
            .map(|r| (r.x, r.y, r.width, r.height))
            .collect();
        assert_eq!(at, [(0, 0, 60, 12), (60, 0, 60, 12), (0, 12, 120, 4)]);
        assert_eq!(l.height, 16);
    }

    #[test]
    fn narrow_terminals_stack_in_reading_order() {
        let l = layout(&dash(TWO_BY_TWO), 80, 24);
        assert!(l.stacked);
        let at: Vec<_> = l
            .rects
            .iter()
            .map(|r| (r.widget, r.x, r.y, r.width))
            .collect();
        assert_eq!(at, [(0, 0, 0, 80), (1, 0, 12, 80), (2, 0, 24, 80)]);
        let short = layout(&dash(TWO_BY_TWO), 80, 20);
        assert_eq!(
            short.rects[0].height, 12,
            "two rows a grid row when stacked"
        );
    }

    #[test]
    fn scrolling_to_a_widget_moves_as_little_as_needed() {
        let l = layout(&dash(TWO_BY_TWO), 80, 24);
        // Stacked: widget 2 spans rows 24..28 of the canvas.
        assert_eq!(l.scroll_to(0, 20, 0), 0);
        assert_eq!(
            l.scroll_to(2, 20, 0),
            8,
            "bottom edge at the window's bottom"
        );
        assert_eq!(l.scroll_to(0, 20, 8), 0, "back up: top edge at the top");
        assert_eq!(l.scroll_to(1, 5, 0), 12, "taller than the window: its top");
        assert_eq!(l.scroll_to(9, 20, 3), 3, "no such widget");
    }

    #[test]
    fn visible_part_of_a_scrolled_widget() {
        let r = CanvasRect {
            widget: 0,
            x: 10,
            y: 5,
            width: 20,
            height: 10,
        };
        let area = Rect::new(0, 1, 100, 8);
        assert_eq!(r.visible(0, area), Some((Rect::new(10, 6, 20, 3), 0)));
        assert_eq!(r.visible(8, area), Some((Rect::new(10, 1, 20, 7), 3)));
        assert_eq!(r.visible(15, area), None);
        assert_eq!(
            r.visible(0, Rect::new(0, 0, 15, 40)),
            Some((Rect::new(10, 5, 5, 10), 0))
        );
    }
}
