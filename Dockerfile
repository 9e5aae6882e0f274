FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
# requirements.txt installs the SDK package from ./clients/python (editable).
COPY clients clients
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN DRAVO_DEBUG=1 DRAVO_DATA_DIR=/tmp/build python manage.py collectstatic --no-input
EXPOSE 8000
CMD ["gunicorn", "dravo.wsgi", "--bind", "0.0.0.0:8000"]
