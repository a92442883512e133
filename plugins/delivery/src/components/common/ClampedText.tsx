import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles({
  clamped: {
    display: '-webkit-box',
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
    overflowWrap: 'anywhere',
  },
});

/**
 * A long text (a finding's title, a commit message) clamped to a few lines;
 * the whole text on hover (title) and for screen readers (the DOM keeps it).
 */
export function ClampedText(props: { text?: string; lines?: number }) {
  const classes = useStyles();
  if (!props.text) return null;
  return (
    <span
      className={classes.clamped}
      style={{ WebkitLineClamp: props.lines ?? 2 }}
      title={props.text}
    >
      {props.text}
    </span>
  );
}
