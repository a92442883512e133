import { makeStyles } from '@material-ui/core/styles';
import { useState } from 'react';

const useStyles = makeStyles(theme => ({
  clamped: {
    display: '-webkit-box',
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
    overflowWrap: 'anywhere',
  },
  whole: { display: 'block', overflowWrap: 'anywhere' },
  toggle: {
    background: 'none',
    border: 'none',
    padding: 0,
    font: 'inherit',
    fontSize: theme.typography.caption.fontSize,
    color: theme.palette.primary.main,
    textDecoration: 'underline',
    cursor: 'pointer',
  },
}));

/** Characters per line below which a text is assumed to fit its lines. */
const CHARS_PER_LINE = 40;

/**
 * A long text (a finding's title, a commit message) clamped to a few lines;
 * the whole text on hover (title), for screen readers (the DOM keeps it)
 * and, for texts long enough to be cut, behind a "show all" button that
 * the keyboard reaches too.
 */
export function ClampedText(props: { text?: string; lines?: number }) {
  const classes = useStyles();
  const [expanded, setExpanded] = useState(false);
  const lines = props.lines ?? 2;
  if (!props.text) return null;
  const long = props.text.length > lines * CHARS_PER_LINE;
  return (
    <>
      <span
        className={expanded ? classes.whole : classes.clamped}
        style={expanded ? undefined : { WebkitLineClamp: lines }}
        title={props.text}
      >
        {props.text}
      </span>
      {long && (
        <button
          type="button"
          className={classes.toggle}
          aria-expanded={expanded}
          onClick={() => setExpanded(e => !e)}
        >
          {expanded ? 'show less' : 'show all'}
        </button>
      )}
    </>
  );
}
