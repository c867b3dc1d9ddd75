//! The wizard's three steps as data, and the pure rules of the step navigation
//! (which steps are visited and clickable), so that components only render them.

pub mod access;
pub mod parts;
pub mod permissions;
pub mod setup;

pub use access::AccessStep;
pub use permissions::PermissionsStep;
pub use setup::SetupStep;

/// One step of the Create AWS connection wizard, in order.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    Setup,
    Permissions,
    Access,
}

/// How a step appears in the step navigation (Cloudscape's model).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    /// The step on screen (`aria-current="step"`).
    Current,
    /// Reached before: a link back to it.
    Visited,
    /// Not reached yet: shown, not clickable (`aria-disabled`).
    Unvisited,
}

impl StepStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            StepStatus::Current => "current",
            StepStatus::Visited => "visited",
            StepStatus::Unvisited => "unvisited",
        }
    }
}

impl Step {
    pub const ALL: [Step; 3] = [Step::Setup, Step::Permissions, Step::Access];

    /// The last segment of the step's route (`/connections/aws/new/<slug>`).
    pub const fn slug(self) -> &'static str {
        match self {
            Step::Setup => "setup",
            Step::Permissions => "permissions",
            Step::Access => "access",
        }
    }

    /// The step's title, as the help page calls it.
    pub fn title(self) -> &'static str {
        let t = crate::i18n::t();
        match self {
            Step::Setup => t.step_setup,
            Step::Permissions => t.step_permissions,
            Step::Access => t.step_access,
        }
    }

    /// 1-based position, as shown in "Step 2 of 3".
    pub const fn number(self) -> usize {
        match self {
            Step::Setup => 1,
            Step::Permissions => 2,
            Step::Access => 3,
        }
    }

    pub fn from_slug(slug: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.slug() == slug)
    }

    pub const fn next(self) -> Option<Step> {
        match self {
            Step::Setup => Some(Step::Permissions),
            Step::Permissions => Some(Step::Access),
            Step::Access => None,
        }
    }

    pub const fn previous(self) -> Option<Step> {
        match self {
            Step::Setup => None,
            Step::Permissions => Some(Step::Setup),
            Step::Access => Some(Step::Permissions),
        }
    }

    /// The status of `self` when `current` is on screen and `farthest` is the
    /// farthest step reached so far (a step is reached once shown).
    pub fn status(self, current: Step, farthest: Step) -> StepStatus {
        if self == current {
            StepStatus::Current
        } else if self <= farthest.max(current) {
            StepStatus::Visited
        } else {
            StepStatus::Unvisited
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_and_unknown_slugs_are_rejected() {
        for step in Step::ALL {
            assert_eq!(Step::from_slug(step.slug()), Some(step));
        }
        assert_eq!(Step::from_slug("Setup"), None);
        assert_eq!(Step::from_slug(""), None);
    }

    #[test]
    fn next_and_previous_walk_the_steps_in_order() {
        assert_eq!(Step::Setup.next(), Some(Step::Permissions));
        assert_eq!(Step::Access.next(), None);
        assert_eq!(Step::Setup.previous(), None);
        assert_eq!(Step::Access.previous(), Some(Step::Permissions));
        let numbers: Vec<_> = Step::ALL.iter().map(|s| s.number()).collect();
        assert_eq!(numbers, [1, 2, 3]);
    }

    #[test]
    fn status_follows_current_and_farthest_step() {
        use StepStatus::*;
        let row = |current, farthest| Step::ALL.map(|s| s.status(current, farthest));
        assert_eq!(
            row(Step::Setup, Step::Setup),
            [Current, Unvisited, Unvisited]
        );
        assert_eq!(
            row(Step::Permissions, Step::Permissions),
            [Visited, Current, Unvisited]
        );
        // Back on Setup after reaching Access: both later steps stay reachable.
        assert_eq!(row(Step::Setup, Step::Access), [Current, Visited, Visited]);
        // A deep link beyond the farthest step counts as reaching it.
        assert_eq!(row(Step::Access, Step::Setup), [Visited, Visited, Current]);
    }
}
