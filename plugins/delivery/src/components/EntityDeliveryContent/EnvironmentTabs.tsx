import { makeStyles } from '@material-ui/core/styles';
import { useRef, type KeyboardEvent } from 'react';

const useStyles = makeStyles(theme => ({
  list: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  tab: {
    background: 'none',
    border: 'none',
    borderBottom: '3px solid transparent',
    padding: theme.spacing(1, 2),
    font: 'inherit',
    fontSize: theme.typography.button.fontSize,
    textTransform: 'uppercase',
    letterSpacing: theme.typography.button.letterSpacing,
    color: theme.palette.text.primary,
    cursor: 'pointer',
    '&:hover': { background: theme.palette.action.hover },
    '&:focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: -2,
    },
  },
  // selected: a thick underline and bold text, not a colour alone
  selected: {
    borderBottomColor: theme.palette.primary.main,
    fontWeight: theme.typography.fontWeightBold as number,
  },
}));

/**
 * The environments as a WAI-ARIA tablist: one tab in the Tab order (the
 * selected one), arrow keys, Home and End move between tabs, Enter or
 * Space selects. Tabs wrap to a second line instead of scrolling, so
 * nothing has to be measured while the tab renders.
 */
export function EnvironmentTabs(props: {
  names: string[];
  selected: string;
  onSelect: (name: string) => void;
  label: string;
}) {
  const classes = useStyles();
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    const tabs = Array.from(
      list.current?.querySelectorAll<HTMLButtonElement>('[role="tab"]') ?? [],
    );
    const at = tabs.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    const next: Record<string, number> = {
      ArrowLeft: (at - 1 + tabs.length) % tabs.length,
      ArrowRight: (at + 1) % tabs.length,
      Home: 0,
      End: tabs.length - 1,
    };
    if (event.key in next) {
      event.preventDefault();
      tabs[next[event.key]].focus();
    }
  };
  return (
    <div
      role="tablist"
      aria-label={props.label}
      className={classes.list}
      ref={list}
    >
      {props.names.map(name => {
        const selected = name === props.selected;
        return (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={selected}
            tabIndex={selected ? 0 : -1}
            className={`${classes.tab} ${selected ? classes.selected : ''}`}
            onClick={() => props.onSelect(name)}
            onKeyDown={onKeyDown}
          >
            {name}
          </button>
        );
      })}
    </div>
  );
}
