import { render } from 'preact';
import '../shared/ui/theme.css';
import './popup.css';
import { Popup } from './popup';

render(<Popup />, document.getElementById('app')!);
