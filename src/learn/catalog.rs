//! The lessons, compiled in from `sample-machines/lessons/NN-name/` so `statescope learn` works
//! wherever the binary is installed. The order here is the order of `learn`'s list and must
//! match each folder's `NN` (a test checks it).

use crate::learn::{Lesson, LessonError, LessonFiles};

macro_rules! lesson {
    ($slug:literal) => {
        lesson!(@files $slug, None)
    };
    ($slug:literal, mock) => {
        lesson!(@files $slug, Some(include_str!(concat!("../../sample-machines/lessons/", $slug, "/", $slug, ".mock.json"))))
    };
    (@files $slug:literal, $mock:expr) => {
        LessonFiles {
            slug: $slug,
            lesson: include_str!(concat!("../../sample-machines/lessons/", $slug, "/lesson.json")),
            start: include_str!(concat!("../../sample-machines/lessons/", $slug, "/", $slug, ".asl.json")),
            input: include_str!(concat!("../../sample-machines/lessons/", $slug, "/", $slug, ".input.json")),
            mock: $mock,
        }
    };
}

/// Every lesson folder, in `learn`'s order.
pub const FILES: &[LessonFiles] = &[
    lesson!("01-state-types"),
    lesson!("02-input-output-path"),
    lesson!("03-parameters"),
    lesson!("04-result-selector", mock),
    lesson!("05-result-path", mock),
    lesson!("06-intrinsics"),
    lesson!("07-choice"),
    lesson!("08-wait"),
    lesson!("09-parallel", mock),
    lesson!("10-map", mock),
    lesson!("11-retry-catch", mock),
    lesson!("12-integration-patterns", mock),
    lesson!("13-activities", mock),
    lesson!("14-variables", mock),
    lesson!("15-jsonata", mock),
    lesson!("16-standard-express", mock),
    lesson!("17-best-practices", mock),
    lesson!("18-history-quota", mock),
];

/// Every lesson, numbered from 1 in list order.
pub fn lessons() -> Result<Vec<Lesson>, LessonError> {
    FILES.iter().enumerate().map(|(i, f)| Lesson::parse(i + 1, f)).collect()
}
