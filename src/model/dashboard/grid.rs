//! Where widgets sit on the console's 24-column grid: `x`, `y`, `width`,
//! `height` as written, widgets without `x`/`y` placed at the next free
//! spot filling rows left to right, then every widget floated up as far as
//! it goes (the console closes vertical gaps the same way).

/// Columns of the dashboard grid.
pub const GRID_COLUMNS: u32 = 24;
/// Width and height of a widget that names none.
pub const DEFAULT_SIZE: u32 = 6;
/// Tallest widget kept as written; taller ones are cut to this.
pub const MAX_HEIGHT: u32 = 1000;

/// A widget's cell on the grid, in grid units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct GridRect {
    /// Column, 0..24.
    pub x: u32,
    /// Row.
    pub y: u32,
    /// Columns spanned, 1..=24.
    pub width: u32,
    /// Rows spanned, 1..=MAX_HEIGHT.
    pub height: u32,
}

impl GridRect {
    /// One past the last column.
    pub fn right(&self) -> u32 {
        self.x + self.width
    }

    /// One past the last row.
    pub fn bottom(&self) -> u32 {
        self.y.saturating_add(self.height)
    }

    fn overlaps(&self, other: &GridRect) -> bool {
        self.x < other.right()
            && other.x < self.right()
            && self.y < other.bottom()
            && other.y < self.bottom()
    }
}

/// What a widget asked for: size always, position when it gave both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requested {
    /// `x` and `y`, when both were given.
    pub position: Option<(u32, u32)>,
    /// `width`, `height`.
    pub size: (u32, u32),
}

impl Requested {
    /// Clamps raw numbers into the grid: width 1..=24, height
    /// 1..=[`MAX_HEIGHT`], x so that the widget fits.
    pub fn new(x: Option<f64>, y: Option<f64>, width: Option<f64>, height: Option<f64>) -> Self {
        let unit = |v: Option<f64>, max: u32| -> Option<u32> {
            v.map(|v| v.clamp(0.0, f64::from(max)) as u32)
        };
        let width = unit(width, GRID_COLUMNS)
            .unwrap_or(DEFAULT_SIZE)
            .clamp(1, GRID_COLUMNS);
        let height = unit(height, MAX_HEIGHT)
            .unwrap_or(DEFAULT_SIZE)
            .clamp(1, MAX_HEIGHT);
        let position = match (unit(x, GRID_COLUMNS), unit(y, u32::MAX / 2)) {
            (Some(x), Some(y)) => Some((x.min(GRID_COLUMNS - width), y)),
            _ => None,
        };
        Self {
            position,
            size: (width, height),
        }
    }
}

/// Places every widget: fixed ones where they asked, the others at the next
/// free spot after the previous auto-placed one, then floats all up.
pub fn place(requests: &[Requested]) -> Vec<GridRect> {
    let mut placed: Vec<Option<GridRect>> = requests
        .iter()
        .map(|r| {
            r.position.map(|(x, y)| GridRect {
                x,
                y,
                width: r.size.0,
                height: r.size.1,
            })
        })
        .collect();
    let mut cursor = Cursor::default();
    for i in 0..requests.len() {
        if placed[i].is_none() {
            let (width, height) = requests[i].size;
            let taken: Vec<GridRect> = placed.iter().flatten().copied().collect();
            placed[i] = Some(cursor.next_free(width, height, &taken));
        }
    }
    let rects: Vec<GridRect> = placed.into_iter().flatten().collect();
    float_up(rects)
}

/// The flow position for widgets without `x`/`y`.
#[derive(Debug, Default)]
struct Cursor {
    x: u32,
    y: u32,
    row_bottom: u32,
}

impl Cursor {
    fn next_free(&mut self, width: u32, height: u32, taken: &[GridRect]) -> GridRect {
        loop {
            if self.x + width > GRID_COLUMNS {
                self.new_row(taken);
            }
            let candidate = GridRect {
                x: self.x,
                y: self.y,
                width,
                height,
            };
            match taken.iter().find(|t| t.overlaps(&candidate)) {
                Some(blocker) => self.x = blocker.right(),
                None => {
                    self.x += width;
                    self.row_bottom = self.row_bottom.max(candidate.bottom());
                    return candidate;
                }
            }
        }
    }

    /// Moves below the current row: past what was placed on it, or, when
    /// nothing fitted, past the lowest-ending widget crossing it.
    fn new_row(&mut self, taken: &[GridRect]) {
        let next = if self.row_bottom > self.y {
            self.row_bottom
        } else {
            taken
                .iter()
                .filter(|t| t.y <= self.y && t.bottom() > self.y)
                .map(GridRect::bottom)
                .min()
                .unwrap_or(self.y + 1)
        };
        self.y = next;
        self.row_bottom = next;
        self.x = 0;
    }
}

/// Moves each widget up, in reading order, until it would touch one above.
fn float_up(mut rects: Vec<GridRect>) -> Vec<GridRect> {
    let mut order: Vec<usize> = (0..rects.len()).collect();
    order.sort_by_key(|&i| (rects[i].y, rects[i].x));
    for (n, &i) in order.iter().enumerate() {
        let r = rects[i];
        let floor = order[..n]
            .iter()
            .map(|&j| rects[j])
            .filter(|above| above.x < r.right() && r.x < above.right() && above.y <= r.y)
            .map(|above| above.bottom())
            .max()
            .unwrap_or(0);
        rects[i].y = floor.min(r.y);
    }
    rects
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(w: u32, h: u32) -> Requested {
        Requested {
            position: None,
            size: (w, h),
        }
    }

    fn fixed(x: u32, y: u32, w: u32, h: u32) -> Requested {
        Requested {
            position: Some((x, y)),
            size: (w, h),
        }
    }

    fn xy(r: &[GridRect]) -> Vec<(u32, u32)> {
        r.iter().map(|r| (r.x, r.y)).collect()
    }

    #[test]
    fn auto_widgets_fill_rows_left_to_right() {
        let rects = place(&[auto(6, 6); 5]);
        assert_eq!(xy(&rects), [(0, 0), (6, 0), (12, 0), (18, 0), (0, 6)]);
    }

    #[test]
    fn a_row_is_as_tall_as_its_tallest_widget() {
        let rects = place(&[auto(12, 3), auto(12, 8), auto(24, 2)]);
        assert_eq!(xy(&rects), [(0, 0), (12, 0), (0, 8)]);
        // floated up: the 24-wide one cannot rise past the 8-high one.
    }

    #[test]
    fn auto_widgets_go_around_fixed_ones() {
        let rects = place(&[fixed(0, 0, 12, 4), auto(12, 4), auto(12, 4)]);
        assert_eq!(xy(&rects), [(0, 0), (12, 0), (0, 4)]);
    }

    #[test]
    fn gaps_close_upwards() {
        let rects = place(&[fixed(0, 0, 24, 6), fixed(0, 159, 24, 6), fixed(6, 40, 6, 2)]);
        assert_eq!(xy(&rects), [(0, 0), (0, 8), (6, 6)]);
    }

    #[test]
    fn sizes_are_clamped_into_the_grid() {
        let r = Requested::new(Some(20.0), Some(-3.0), Some(10.0), Some(1e9));
        assert_eq!(r.position, Some((14, 0)));
        assert_eq!(r.size, (10, MAX_HEIGHT));
        let r = Requested::new(Some(3.0), None, Some(0.0), None);
        assert_eq!(r.position, None);
        assert_eq!(r.size, (1, DEFAULT_SIZE));
    }
}
