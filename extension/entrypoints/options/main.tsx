import { render } from 'preact';
import { connectToBackground } from '../../utils/background-client';
import { localizeDocument } from '../../utils/i18n';
import { App } from './App';
import '../../assets/base.css';
import './style.css';

localizeDocument(document, 'optionsTitle');
render(<App client={connectToBackground()} />, document.getElementById('app')!);
