import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import TextField from '@material-ui/core/TextField';
import type { DeliveryChoices } from '@gitops-delivery/backstage-plugin-delivery-common';
import { useEffect, useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { deliveryApiRef } from '../api';

/** What a DeliveryChoicePicker offers. @public */
export type DeliveryChoiceKind = 'policy' | 'argocdInstance';

/** `ui:options` of the DeliveryChoicePicker field. @public */
export interface DeliveryChoicePickerUiOptions {
  /** `policy` (default): the configured promotion policies; `argocdInstance`: the configured Argo CD instances. */
  choice?: DeliveryChoiceKind;
}

interface Option {
  value: string;
  label: string;
  description?: string;
}

const WORDS: Record<
  DeliveryChoiceKind,
  { title: string; config: string; none: string }
> = {
  policy: {
    title: 'Promotion policy',
    config: 'delivery.policies',
    none: 'No promotion policy is configured.',
  },
  argocdInstance: {
    title: 'Argo CD instance',
    config: 'delivery.argocd.instances',
    none: 'No Argo CD instance is configured (delivery.argocd.instances).',
  },
};

function optionsOf(choices: DeliveryChoices, kind: DeliveryChoiceKind) {
  if (kind === 'argocdInstance') {
    return choices.argocdInstances.map(i => ({ value: i.name, label: i.name }));
  }
  return choices.policies.map(p => ({
    value: p.name,
    label: p.isDefault ? `${p.name} (default)` : p.name,
    description: p.description,
  }));
}

/**
 * A scaffolder form field that offers what the Delivery backend is
 * configured with: its promotion policies (`ui:options: { choice: policy }`)
 * or its Argo CD instances (`choice: argocdInstance`). Preselects the default
 * policy or the first instance. When the backend cannot be asked, it falls
 * back to a text field and says why.
 *
 * @public
 */
export function DeliveryChoicePicker(
  props: FieldExtensionComponentProps<string, DeliveryChoicePickerUiOptions>,
) {
  const {
    onChange,
    formData,
    required,
    rawErrors,
    schema,
    uiSchema,
    idSchema,
    disabled,
  } = props;
  const kind: DeliveryChoiceKind =
    uiSchema?.['ui:options']?.choice === 'argocdInstance'
      ? 'argocdInstance'
      : 'policy';
  const words = WORDS[kind];
  const title = schema?.title ?? words.title;
  const id = idSchema?.$id ?? `delivery-choice-${kind}`;
  const api = useApi(deliveryApiRef);
  const { value, loading, error } = useAsync(() => api.getChoices(), [api]);
  const options: Option[] = useMemo(
    () => (value ? optionsOf(value, kind) : []),
    [value, kind],
  );

  // preselect the default policy / the first instance, like a schema default
  useEffect(() => {
    if (!formData && options.length > 0) onChange(options[0].value);
  }, [formData, options, onChange]);

  const hasErrors = (rawErrors?.length ?? 0) > 0;

  if (loading) {
    return <Progress aria-label={`Loading the configured ${words.config}`} />;
  }

  if (error) {
    return (
      <TextField
        id={id}
        label={title}
        fullWidth
        margin="normal"
        required={required}
        disabled={disabled}
        error
        value={formData ?? ''}
        onChange={e => onChange(e.target.value)}
        helperText={`Could not load ${words.config} from the Delivery backend (${error.message}); type a configured name.`}
      />
    );
  }

  const selected = options.find(o => o.value === formData);
  const unknown = formData && !selected;
  return (
    <FormControl
      fullWidth
      margin="normal"
      required={required}
      disabled={disabled || options.length === 0}
      error={hasErrors || options.length === 0 || Boolean(unknown)}
    >
      <InputLabel id={`${id}-label`}>{title}</InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        value={selected ? formData : ''}
        onChange={e => onChange(e.target.value as string)}
      >
        {options.map(option => (
          <MenuItem key={option.value} value={option.value}>
            {option.label}
          </MenuItem>
        ))}
      </Select>
      <FormHelperText>
        {options.length === 0 && words.none}
        {unknown &&
          `"${formData}" is not configured (${words.config}); pick one of the list.`}
        {!unknown &&
          options.length > 0 &&
          (selected?.description ?? schema?.description)}
      </FormHelperText>
    </FormControl>
  );
}
