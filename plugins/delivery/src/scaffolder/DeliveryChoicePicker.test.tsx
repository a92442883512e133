import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { DeliveryChoices } from '@gitops-delivery/backstage-plugin-delivery-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { ComponentProps } from 'react';
import { deliveryApiRef, type DeliveryApi } from '../api';
import { DeliveryChoicePicker } from './DeliveryChoicePicker';

const CHOICES: DeliveryChoices = {
  policies: [
    { name: 'strict', description: 'Soak 30 minutes', isDefault: true },
    { name: 'default', isDefault: false },
  ],
  argocdInstances: [{ name: 'main' }, { name: 'nonprod' }],
};

type Props = ComponentProps<typeof DeliveryChoicePicker>;

function props(overrides: Partial<Props> = {}): Props {
  return {
    onChange: jest.fn(),
    formData: undefined,
    required: true,
    rawErrors: [],
    schema: { type: 'string', title: 'Promotion policy' },
    uiSchema: { 'ui:options': { choice: 'policy' } },
    idSchema: { $id: 'root_policy' },
    ...overrides,
  } as unknown as Props;
}

async function renderPicker(
  getChoices: DeliveryApi['getChoices'],
  fieldProps: Props,
) {
  const api = { getChoices } as unknown as DeliveryApi;
  return renderInTestApp(
    <TestApiProvider apis={[[deliveryApiRef, api]]}>
      <DeliveryChoicePicker {...fieldProps} />
    </TestApiProvider>,
  );
}

describe('DeliveryChoicePicker', () => {
  it('offers the configured policies and preselects the default one', async () => {
    const fieldProps = props();
    await renderPicker(async () => CHOICES, fieldProps);
    await waitFor(() =>
      expect(fieldProps.onChange).toHaveBeenCalledWith('strict'),
    );
    fireEvent.mouseDown(
      screen.getByRole('button', { name: /Promotion policy/ }),
    );
    const list = within(screen.getByRole('listbox'));
    expect(
      list.getByRole('option', { name: 'strict (default)' }),
    ).toBeInTheDocument();
    fireEvent.click(list.getByRole('option', { name: 'default' }));
    expect(fieldProps.onChange).toHaveBeenLastCalledWith('default');
  });

  it('shows the chosen policy and its description', async () => {
    await renderPicker(async () => CHOICES, props({ formData: 'strict' }));
    expect(await screen.findByText('Soak 30 minutes')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /strict \(default\)/ }),
    ).toBeInTheDocument();
  });

  it('offers the Argo CD instances with choice: argocdInstance', async () => {
    const fieldProps = props({
      schema: { type: 'string', title: 'Argo CD instance' },
      uiSchema: { 'ui:options': { choice: 'argocdInstance' } },
    } as Partial<Props>);
    await renderPicker(async () => CHOICES, fieldProps);
    await waitFor(() =>
      expect(fieldProps.onChange).toHaveBeenCalledWith('main'),
    );
    fireEvent.mouseDown(
      screen.getByRole('button', { name: /Argo CD instance/ }),
    );
    expect(
      within(screen.getByRole('listbox'))
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['main', 'nonprod']);
  });

  it('says so when a value is not configured', async () => {
    await renderPicker(async () => CHOICES, props({ formData: 'gone' }));
    expect(
      await screen.findByText(/"gone" is not configured \(delivery.policies\)/),
    ).toBeInTheDocument();
  });

  it('says so when no instance is configured', async () => {
    const fieldProps = props({
      uiSchema: { 'ui:options': { choice: 'argocdInstance' } },
    } as Partial<Props>);
    await renderPicker(
      async () => ({ policies: CHOICES.policies, argocdInstances: [] }),
      fieldProps,
    );
    expect(
      await screen.findByText(/No Argo CD instance is configured/),
    ).toBeInTheDocument();
    expect(fieldProps.onChange).not.toHaveBeenCalled();
  });

  it('falls back to a text field naming the error when the backend fails', async () => {
    const fieldProps = props();
    await renderPicker(async () => {
      throw new Error('Request failed with 503 Service Unavailable');
    }, fieldProps);
    const box = await screen.findByRole('textbox', {
      name: /Promotion policy/,
    });
    expect(
      screen.getByText(/Could not load delivery.policies .*503/),
    ).toBeInTheDocument();
    fireEvent.change(box, { target: { value: 'strict' } });
    expect(fieldProps.onChange).toHaveBeenCalledWith('strict');
  });
});
